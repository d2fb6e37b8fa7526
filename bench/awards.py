#!/usr/bin/env python
"""Benchmark the awards app's speed targets (issue 4).

    DEBUG=1 .venv/bin/python bench/awards.py                  # all of them, ~1-2 min
    DEBUG=1 .venv/bin/python bench/awards.py --certificates 100

1. Share-out of one quota over 17,000 units in 63 groups (`shareout.share_out`, exact
   fractions, largest remainder) beside a naive baseline (seat by seat to the unit
   furthest below its exact share, floats): target ≤ 1 s.
2. Decision DOCX with a 500-name list (`decision_template.decision_docx`, from the database):
   target ≤ 3 s; baseline: one python-docx paragraph per name (no table, no layout).
3. 500 certificates, one A4 page each: target ≤ 60 s. Measured two ways: the background
   job the clerk now starts (`certificates.run`: layout in batches of 25 with progress
   reports, pages joined into one PDF, stored under MEDIA_ROOT), beside the previous
   synchronous path that made the user wait (`certificates.certificates_pdf`, one pass).
4. Import of past awards (`history.services.preview`, then `commit`) of a 5,000-row .xlsx
   naming the 500 members: one web request each, target ≤ 5 s; baseline: calamine
   reading the same file alone (`reading.read_upload`). `--only-import` skips 2 and 3.

Documents use a throw-away SQLite database in a temporary folder (500 members,
500 approved nominations, one decision), built through the real services.
"""

import argparse
import datetime
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, repeat=1):
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), result


def line(name, seconds, target, baseline=None):
    status = "OK" if seconds <= target else "MISS"
    extra = f"   naive {baseline:8.3f} s   ratio ×{baseline / seconds:6.1f}" if baseline else ""
    print(f"{name:<42} {seconds:8.3f} s   target ≤ {target:g} s   {status}{extra}")


def naive_share(quota, weights):
    total = sum(weights)
    exact = [quota * w / total for w in weights]
    given = [0] * len(weights)
    for _ in range(quota):
        i = max(range(len(weights)), key=lambda k: exact[k] - given[k])
        given[i] += 1
    return given


def bench_shareout(units=17_000, quota=2_000):
    from hoiccb.awards.rounds.shareout import Claimant, share_out

    rng = random.Random(4)
    claimants = [
        Claimant(key=i, weight=rng.randint(15, 300), rating=rng.randint(500, 900), group=f"Khối {i % 63}")
        for i in range(units)
    ]
    seconds, result = timed(lambda: share_out(quota, claimants), repeat=3)
    assert sum(a.amount for a in result.values()) == quota
    flat, _ = timed(lambda: share_out(quota, claimants, by_group=False), repeat=3)
    base, given = timed(lambda: naive_share(quota, [c.weight for c in claimants]))
    assert sum(given) == quota
    line(f"share-out {units:,} units, {quota:,} seats (groups)", seconds, 1.0, base)
    line(f"share-out {units:,} units, {quota:,} seats (flat)", flat, 1.0, base)


def build_decision(names: int):
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from hoiccb.accounts.models import Role, User
    from hoiccb.awards.models import Decision
    from hoiccb.lib.dates import PartialDate
    from hoiccb.members import services as member_services
    from hoiccb.org import services as org_services
    from hoiccb.org.models import UnitKind

    kinds = {k.code: k for k in UnitKind.objects.all()}
    province = org_services.unit_create(
        actor=None, parent=None, kind=kinds["tinh"], code="T", name="Hội CCB tỉnh Yên Bái"
    )
    bloc = org_services.unit_create(
        actor=None, parent=province, kind=kinds["khoi"], code="K", name="Hội CCB Khối cơ quan và doanh nghiệp tỉnh"
    )
    user = User.objects.create_user(username="khoi", password="x", unit=bloc, role=Role.STANDING)
    units = [
        org_services.unit_create(actor=None, parent=bloc, kind=kinds["co-so"], code=f"U{i}", name=f"Hội CCB đơn vị {i}")
        for i in range(20)
    ]
    rng = random.Random(1)
    ho = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Bùi", "Đỗ"]
    dem = ["Văn", "Thị", "Đức", "Minh", "Quang"]
    ten = ["Ân", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khánh", "Lộc", "Ngọc", "Phúc", "Thắng", "Ước", "Yên"]
    members = [
        member_services.member_admit(
            actor=user,
            unit=units[i % 20],
            ho=rng.choice(ho),
            chu_dem=rng.choice(dem),
            ten=rng.choice(ten),
            birth_date=PartialDate(1945 + i % 20),
        )
        for i in range(names)
    ]
    decision = issue_decision(
        user, bloc, members, "Cựu chiến binh gương mẫu", "Tổng kết phong trào CCB gương mẫu 2019–2024"
    )
    return Decision.objects.select_related("round__movement", "unit__parent", "form").get(pk=decision.pk)


def issue_decision(user, bloc, members, movement_name: str, round_name: str):
    """Issue the bloc's decision for `members`, their nominations approved at once (no votes to wait for)."""
    from hoiccb.awards.models import AwardForm, Nomination, NominationState
    from hoiccb.awards.movements import services as movement_services
    from hoiccb.awards.rounds import services

    movement = movement_services.movement_create(
        actor=user, unit=bloc, name=movement_name, start_year=2019, end_year=2024
    )
    rnd = services.round_create(actor=user, unit=bloc, movement=movement, name=round_name, year=2024)
    form = AwardForm.objects.get(code="giay-khen-khoi")
    Nomination.objects.bulk_create(
        Nomination(
            round=rnd,
            form=form,
            unit=m.unit,
            unit_path=m.unit.path,
            member=m,
            summary="x",
            state=NominationState.APPROVED,
        )
        for m in members
    )
    return services.decision_issue(
        actor=user, round=rnd, form=form, issued_on=datetime.date(2024, 6, 5), signer="Nguyễn Văn Thắng"
    )


def bench_history_import(rows: int):
    import xlsxwriter

    from hoiccb.accounts.models import User
    from hoiccb.awards.history import services as history_services
    from hoiccb.lib.sheets.reading import read_upload
    from hoiccb.members.models import Member

    user = User.objects.get(username="khoi")
    people = list(Member.objects.select_related("unit").order_by("id"))
    forms = ["Giấy khen của Hội CCB Khối", "Bằng khen của Hội CCB tỉnh", "Kỷ niệm chương", "bang-khen-trung-uong"]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Họ và tên", "Năm sinh", "Đơn vị", "Hình thức khen thưởng", "Năm", "Số quyết định"])
    for i in range(rows):
        m = people[i % len(people)]
        round_ = i // len(people)
        form = forms[round_ % len(forms)]
        sheet.write_row(i + 1, 0, [m.full_name, m.birth_year, m.unit.name, form, 2000 + round_, f"{i}/QĐ-CCB"])
    book.close()
    data = out.getvalue()
    base, _ = timed(lambda: read_upload("lich-su.xlsx", data), repeat=3)
    seconds, batch = timed(lambda: history_services.preview(actor=user, file_name="lich-su.xlsx", data=data))
    status = "OK" if seconds <= 5 else "MISS"
    print(
        f"{'past awards preview, ' + str(rows) + ' rows':<42} {seconds:8.3f} s   target ≤ 5 s   {status}"
        f"   calamine alone {base:6.3f} s   ×{seconds / base:5.1f}"
    )
    seconds, written = timed(lambda: history_services.commit(actor=user, batch=batch))
    status = "OK" if seconds <= 5 else "MISS"
    print(f"{'past awards commit, ' + str(written) + ' records':<42} {seconds:8.3f} s   target ≤ 5 s   {status}")
    print(f"(rows: {dict(batch.counts)})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", type=int, default=500)
    parser.add_argument("--certificates", type=int, default=500)
    parser.add_argument("--import-rows", type=int, default=5000)
    parser.add_argument("--only-import", action="store_true", help="share-out and the import only")
    args = parser.parse_args()
    bench_shareout()
    tmp = tempfile.mkdtemp(prefix="hoiccb-bench-awards-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["MEDIA_ROOT"], os.environ["CACHE_DIR"] = f"{tmp}/media", f"{tmp}/cache"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")
    t = time.perf_counter()
    decision = build_decision(max(args.names, args.certificates))
    print(f"(data: {max(args.names, args.certificates)} members and nominations in {time.perf_counter() - t:.1f} s)")
    bench_history_import(args.import_rows)
    if args.only_import:
        return
    from docx import Document

    from hoiccb.awards.documents import certificates, decision_template
    from hoiccb.awards.documents.selectors import recipients

    def naive_docx():
        doc = Document()
        for n in recipients(decision):
            doc.add_paragraph(n.member.full_name)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    seconds, data = timed(lambda: decision_template.decision_docx(decision), repeat=3)
    rows = len(Document(io.BytesIO(data)).tables[-1].rows) - 1
    base, _ = timed(naive_docx, repeat=3)
    line(f"decision DOCX, {rows} names", seconds, 3.0, base)
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    sync, pdf = timed(lambda: certificates.certificates_pdf(decision))
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    from hoiccb.accounts.models import User
    from hoiccb.awards.documents import services as document_services

    batches = []
    real_report = certificates.report
    certificates.report = lambda job, done, label: batches.append(done) or real_report(job, done, label)

    def background_job():
        job, _ = document_services.certificates_request(actor=User.objects.get(username="khoi"), decision=decision)
        certificates.run(job.pk)
        job.refresh_from_db()
        return job

    seconds, job = timed(background_job)
    with job.file.open("rb") as stored:
        job_pages = len(PdfReader(stored).pages)
    print(f"(background job: {len(batches)} progress reports, stored {job.file.name}, {job.file.size:,} bytes)")
    line(f"certificates PDF, {job_pages} pages (background job)", seconds, 60.0)
    line(f"certificates PDF, {pages} pages (synchronous, before)", sync, 60.0)


if __name__ == "__main__":
    main()
