"""The scripted session of `make cluster-test`, against the balancer of `make cluster` (scripts/cluster.sh).

A clerk logs in; a list is uploaded through web 1 while its progress is polled through web 2;
certificates are printed by whichever worker takes the job and downloaded through the other
web process; a report is read from the replica (and, right after the clerk's own write, from
the primary); then one worker and one web process are stopped and the same work goes on.
Every request goes through HAProxy; the header X-Cluster-Web picks a web process by name and
the response's X-Cluster-Web says which one answered. Prints one line per check; exits 1 on
the first failure.
"""

import datetime
import io
import json
import os
import re
import signal
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")

import django

django.setup()

import psycopg  # noqa: E402
import xlsxwriter  # noqa: E402
from browser import Browser  # noqa: E402

DIR = Path(os.environ.get("CLUSTER_DIR", "/tmp/hoiccb-cluster"))  # noqa: S108 - set by scripts/cluster.sh
BASE = int(os.environ.get("CLUSTER_PORT_BASE", "15400"))
URL = f"http://127.0.0.1:{os.environ.get('CLUSTER_HTTP_PORT', '18400')}"
STARTED = time.monotonic()


def check(ok: bool, what: str) -> None:
    print(f"  {'✓' if ok else '✗'} {what}", flush=True)
    if not ok:
        print(f"!!! cluster-test THẤT BẠI sau {time.monotonic() - STARTED:.0f} s (nhật ký: {DIR}/*.log)")
        sys.exit(1)


def member_list_xlsx(names: list[str]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Danh sách")
    for c, head in enumerate(["STT", "Họ và tên", "Năm sinh", "Ngày nhập ngũ", "Quê quán"]):
        sheet.write(0, c, head)
    for r, name in enumerate(names, 1):
        sheet.write_row(r, 0, [r, name, str(1945 + r), f"3/{1968 + r % 3}", "Yên Bái"])
    book.close()
    return out.getvalue()


def wait_job(browser: Browser, progress_path: str, web: str, what: str) -> list[str]:
    """Poll a progress bar through `web` (as htmx does) until the job is over; return the bars seen."""
    seen = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        status, headers, body = browser.get(progress_path, web=web, headers={"HX-Request": "true"})
        if web and not seen:
            check(headers.get("X-Cluster-Web") == web, f"{what}: tiến độ đọc qua {web}")
        if status == 204:
            return seen
        bar = re.search(r'aria-valuenow="(\d+)"', body.decode())
        seen.append(bar.group(1) if bar else "?")
        time.sleep(0.5)
    check(False, f"{what}: xong trong 240 s")
    return seen


def import_list(browser: Browser, names: list[str], *, upload_web, poll_web) -> int:
    """Upload a list through `upload_web`, poll through `poll_web`, commit it; return the import's id."""
    _, _, page = browser.get("/hoi-vien/nhap/", web=upload_web)
    options = re.findall(r'<option value="(\d+)"', page.decode())  # a short scope: a plain list
    if not options:  # a scope of more than 50 units: the unit picker, answered like htmx asks it
        _, _, found = browser.get(
            "/don-vi/chon/?q=hoi+ccb+so&name=unit", web=upload_web, headers={"HX-Request": "true"}
        )
        options = re.findall(r'name="unit" value="(\d+)"', found.decode())
    check(bool(options), "trang nhập danh sách cho chọn đơn vị")
    unit = options[0]  # the first unit the clerk may import into (a grassroots association: it holds members)
    status, _headers, body = browser.post(
        "/hoi-vien/nhap/",
        {"unit": unit},
        files={"file": ("danh-sach-cum.xlsx", member_list_xlsx(names))},
        web=upload_web,
    )
    found = re.search(r"/hoi-vien/nhap/(\d+)/", body.decode())
    check(
        status == 200 and found is not None, f"tải danh sách {len(names)} người lên qua {upload_web or 'bộ cân bằng'}"
    )
    pk = int(found.group(1))
    fields = browser.form(f"/hoi-vien/nhap/{pk}/", f"/hoi-vien/nhap/{pk}/cot/", web=upload_web)
    browser.post(f"/hoi-vien/nhap/{pk}/cot/", fields, web=upload_web)
    bars = wait_job(browser, f"/hoi-vien/nhap/{pk}/tien-do/", poll_web, "phân tích")
    print(f"    thanh tiến độ (phân tích) qua {poll_web or 'bộ cân bằng'}: {bars or ['xong ngay']}")
    browser.post(f"/hoi-vien/nhap/{pk}/xac-nhan/", {}, web=upload_web)
    bars = wait_job(browser, f"/hoi-vien/nhap/{pk}/tien-do/", poll_web, "ghi vào sổ")
    print(f"    thanh tiến độ (ghi vào sổ) qua {poll_web or 'bộ cân bằng'}: {bars or ['xong ngay']}")
    return pk


def workers_of(since: datetime.datetime) -> list[str]:
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(enqueued_at__gte=since).order_by("enqueued_at")
    return [f"{r.task_path.rsplit('.', 1)[-1]}→{(r.worker_ids or ['?'])[-1]}:{r.status}" for r in rows]


def prepare_decision() -> int:
    """An issued decision of the bloc with a few of its members (the demo leaves issuing to the user)."""
    from awards import issue_decision

    from hoiccb.accounts.models import User
    from hoiccb.members.models import Member, MemberStatus

    khoi = User.objects.get(username="khoi")
    people = Member.objects.filter(unit_path__startswith=khoi.unit.path, status=MemberStatus.ACTIVE)
    tag = uuid.uuid4().hex[:4]
    return issue_decision(khoi, khoi.unit, people.select_related("unit")[:6], f"Cụm thử {tag}", f"Đợt thử {tag}").pk


def replica_queries(request) -> list[str]:
    """The app's queries the replica ran while `request()` was served, read from the replica's log.

    (Counting transactions in pg_stat_database was not reliable: a backend publishes its counters
    up to ten seconds late, so an earlier page's reads could land in the window.)
    """
    log = DIR / "pg-replica.log"
    with psycopg.connect(f"host=127.0.0.1 port={BASE + 2} user=postgres dbname=hoiccb", autocommit=True) as conn:
        conn.execute("ALTER SYSTEM SET log_statement = 'all'")  # allowed on a standby: it writes a file
        conn.execute("SELECT pg_reload_conf()")
    time.sleep(0.5)
    start = log.stat().st_size
    result = request()
    time.sleep(0.5)
    lines = log.read_bytes()[start:].decode("utf-8", "replace").splitlines()
    with psycopg.connect(f"host=127.0.0.1 port={BASE + 2} user=postgres dbname=hoiccb", autocommit=True) as conn:
        conn.execute("ALTER SYSTEM RESET log_statement")
        conn.execute("SELECT pg_reload_conf()")
    queries = [line for line in lines if "statement: SELECT" in line and '"' in line]  # Django quotes names
    return result, queries


def stop_pidfile(name: str) -> None:
    pid = int((DIR / f"{name}.pid").read_text())
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    (DIR / f"{name}.pid").unlink(missing_ok=True)


def main() -> None:
    from django.core.files.storage import default_storage

    from hoiccb.awards.documents.models import CertificateJob
    from hoiccb.members.models import ImportState, MemberImport

    print(f"=== cluster-test qua bộ cân bằng {URL} ===")
    anonymous = Browser(URL)
    status, _, body = anonymous.get("/healthz")
    check(status == 200 and json.loads(body) == {"status": "ok"}, "/healthz: sống, không nói tên CSDL")
    admin = Browser(URL)
    check(admin.login("admin"), "admin đăng nhập")
    status, _, body = admin.get("/readyz")
    ready = json.loads(body)
    check(status == 200, f"/readyz: {json.dumps(ready['checks'], ensure_ascii=False)}")
    check(
        all(ready["checks"][k]["status"] == "ok" for k in ("database", "replica", "cache", "storage", "workers")),
        "CSDL chính, bản sao, Redis, kho S3, tiến trình nền: đều ổn",
    )

    clerk = Browser(URL)
    check(clerk.login("khoi"), "khoi (BTV Hội CCB Khối) đăng nhập qua bộ cân bằng")
    since = django.utils.timezone.now()
    tag = uuid.uuid4().hex[:5].upper()
    names = [f"Nguyễn Văn Cụm {tag} {i}" for i in range(1, 9)]
    pk = import_list(clerk, names, upload_web="web1", poll_web="web2")
    batch = MemberImport.objects.get(pk=pk)
    check(batch.state == ImportState.COMMITTED, f"lần nhập {pk}: {batch.get_state_display()} ({batch.counts})")
    keys = default_storage.listdir("private/imports")[1]
    check(
        any(k.startswith(f"{pk}-") and k.endswith(".cells.json") for k in keys),
        "tệp tải lên và các ô đã đọc (JSON) nằm trong kho S3, tiến trình nền đọc từ đó",
    )
    print(f"    việc nền: {', '.join(workers_of(since))}")

    decision = prepare_decision()
    since = django.utils.timezone.now()
    clerk.post(f"/thi-dua/quyet-dinh/{decision}/giay-khen/", {}, web="web1")
    # Checked at once: the pin lasts REPLICA_PIN_SECONDS, and printing on a busy machine can take longer.
    (status, _, _), pinned = replica_queries(lambda: clerk.get("/bao-cao/tong-quan/"))
    check(
        status == 200 and not pinned,
        f"ngay sau khi ghi, trang tổng quan đọc CSDL chính (bản sao: {len(pinned)} truy vấn)",
    )
    bars = wait_job(clerk, f"/thi-dua/quyet-dinh/{decision}/giay-khen/tien-do/", "web2", "in giấy khen")
    job = CertificateJob.objects.get(decision_id=decision)
    took = workers_of(since)
    check(job.state == "done", f"giấy khen in xong bởi {took} (tiến độ qua web2: {bars or ['xong ngay']})")
    status, headers, pdf = clerk.get(f"/thi-dua/quyet-dinh/{decision}/giay-khen.pdf", web="web2")
    check(
        status == 200 and pdf.startswith(b"%PDF") and headers.get("X-Cluster-Web") == "web2",
        f"tệp PDF {len(pdf):,} byte tải qua web2, đọc từ kho S3 sau khi kiểm tra phạm vi",
    )
    stranger = Browser(URL)
    stranger.login("coso2")
    status, _, _ = stranger.get(f"/thi-dua/quyet-dinh/{decision}/giay-khen.pdf")
    check(status == 404, "chủ tịch hội cơ sở khác không tải được (404)")

    clerk.drop_cookie("hoiccb_primary")  # as REPLICA_PIN_SECONDS later
    (status, _, body), served = replica_queries(lambda: clerk.get("/bao-cao/tong-quan/"))
    check(status == 200 and len(served) >= 3, f"trang tổng quan đọc từ bản sao ({len(served)} truy vấn trên bản sao)")
    with psycopg.connect(f"host=127.0.0.1 port={BASE + 2} user=postgres dbname=hoiccb") as conn:
        seen = conn.execute("SELECT count(*) FROM members_importrow WHERE batch_id = %s", [pk]).fetchone()
    print(f"    bản sao đã có {seen[0]} dòng của lần nhập {pk}")

    print("=== dừng worker1 (tiến trình nền của máy 1) và web1 ===")
    stop_pidfile("worker1")
    stop_pidfile("web1")
    answered = []
    for _ in range(10):
        status, headers, _ = clerk.get("/hoi-vien/")
        answered.append((status, headers.get("X-Cluster-Web")))
    check(all(s == 200 for s, _ in answered), f"10 trang liền vẫn trả lời 200, bởi {sorted({w for _, w in answered})}")
    since = django.utils.timezone.now()
    pk2 = import_list(clerk, [f"Trần Thị Cụm {tag} {i}" for i in range(1, 4)], upload_web=None, poll_web=None)
    took = workers_of(since)
    check(
        MemberImport.objects.get(pk=pk2).state == ImportState.COMMITTED and all("worker2" in t for t in took),
        f"lần nhập {pk2} vẫn xong, bởi tiến trình nền còn lại: {took}",
    )
    time.sleep(11)  # JOB_WORKER_DEAD_AFTER_SECONDS in the cluster
    status, _, body = admin.get("/readyz")
    ready = json.loads(body)
    check(
        status == 200 and ready["checks"]["workers"]["status"] == "ok",
        f"/readyz vẫn sẵn sàng: {json.dumps(ready['checks']['workers'], ensure_ascii=False)}",
    )
    times = sorted(clerk.times)
    p95 = times[int(len(times) * 0.95)] * 1000
    print(
        f"=== cluster-test ĐẠT: {len(clerk.times)} yêu cầu của khoi, p95 {p95:.0f} ms, "
        f"{time.monotonic() - STARTED:.0f} s ===\n"
        "    (make cluster-test lần sau khởi động lại web1 và worker1; make cluster-stop dừng cả cụm)"
    )


if __name__ == "__main__":
    main()
