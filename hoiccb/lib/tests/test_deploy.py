"""Running on more than one machine: settings chosen by URL, files only through the storage API,
a real S3-compatible store (moto's server), a real Redis, the replica router and /healthz, /readyz."""

import json
import shutil
import socket
import subprocess
import tarfile
import time

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path

from hoiccb.awards.documents import decision_template
from hoiccb.awards.documents import services as template_services
from hoiccb.lib import deploy, jobs, pdf_jobs, replica, word
from hoiccb.lib.backup import backup
from hoiccb.members.imports import analysis
from hoiccb.members.imports import services as import_services
from hoiccb.members.tests.spreadsheets import xlsx_bytes
from hoiccb.org.models import Unit

UNIT_HEAD = ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên", "Cơ quan, doanh nghiệp"]
ROWS = [["STT", "Họ và tên", "Năm sinh", "Chi hội"], [1, "Nguyễn Văn Hùng", 1950, "Chi hội 1 Sở Tài chính"]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def files_under(folder) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- Settings chosen by URL ---------------------------------------------------------------


def test_one_machine_defaults_need_nothing():
    assert deploy.cache_setting("", default_dir="/x")["BACKEND"].endswith("FileBasedCache")
    assert deploy.storage_setting("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert deploy.replica_setting("", {}, pooler=False) is None


def test_urls_select_redis_s3_replica_and_the_pooler():
    cache = deploy.cache_setting("redis://10.0.0.5:6379/2", default_dir="/x")
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://10.0.0.5:6379/2"
    with pytest.raises(ValueError, match="CACHE_URL"):
        deploy.cache_setting("memcached://x", default_dir="/x")
    s3 = deploy.storage_setting("s3://KEY:se%2Fcret@minio.local:9000/hoiccb?secure=0&region=vn-1")
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    options = s3["OPTIONS"]
    assert (options["bucket_name"], options["access_key"], options["secret_key"]) == ("hoiccb", "KEY", "se/cret")
    assert options["endpoint_url"] == "http://minio.local:9000" and options["region_name"] == "vn-1"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    primary = {"CONN_MAX_AGE": 60}
    rep = deploy.replica_setting("postgres://u:p@db2:6432/hoiccb", primary, pooler=True)
    assert rep is not None
    assert (rep["HOST"], rep["PORT"], rep["TEST"]) == ("db2", 6432, {"MIRROR": "default"})
    assert rep["DISABLE_SERVER_SIDE_CURSORS"] is True and rep["OPTIONS"]["prepare_threshold"] is None


# --- Files: only through the storage API ---------------------------------------------------


@pytest.fixture
def second_root(settings, tmp_path):
    """The default storage in a folder of its own; MEDIA_ROOT elsewhere must stay empty."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "kho")},
        },
    }
    return tmp_path / "kho"


def exercise_every_private_file(cast, login):
    """Upload a list, convert a PDF, replace the decision template, import units: what each machine shares."""
    admin = cast["admin"]
    batch = import_services.import_upload(actor=admin, file_name="ds.xlsx", data=xlsx_bytes(ROWS), default_unit=None)
    analysis.analyse(batch, admin)  # reads the parsed cells back from storage
    docx = word.to_bytes(word.new())
    key, _, _ = pdf_jobs.request_pdf(docx)
    pdf_jobs.convert(key)
    assert pdf_jobs.request_pdf(docx)[1] is not None
    good = decision_template.default_template()
    template_services.template_upload(actor=admin, name="mau.docx", data=good)
    assert decision_template.current_template() == good
    units = xlsx_bytes([UNIT_HEAD, ["A2", "Chi hội 2 Sở Tài chính", "Chi hội", "A", ""]])
    client = login(admin)
    page = client.post("/don-vi/nhap/", {"file": SimpleUploadedFile("dv.xlsx", units)}).content.decode()
    stored = page.split('name="tep" value="')[1].split('"')[0]
    assert client.post("/don-vi/nhap/", {"tep": stored}).status_code == 302  # read back from storage
    assert Unit.objects.filter(code="A2").exists()
    return batch


def test_no_code_opens_media_root_itself(cast, login, settings, second_root):
    exercise_every_private_file(cast, login)
    assert files_under(settings.MEDIA_ROOT) == []
    stored = files_under(second_root)
    assert "awards/mau-quyet-dinh.docx" in stored
    folders = {name.rsplit("/", 1)[0] for name in stored}
    assert {"private/imports", "private/pdf"} <= folders
    assert any(name.endswith(".cells.json") for name in stored)
    assert not any(name.endswith((".cells", ".pickle", ".pkl")) for name in stored)


@pytest.mark.django_db(transaction=True)
def test_the_backup_reads_every_file_through_the_storage(cast, login, settings, second_root, tmp_path):
    # Restoring through the storage is covered by test_backup.py (a fresh installation in another process).
    exercise_every_private_file(cast, login)
    archive = tmp_path / "sao-luu.tar.gz"
    manifest = backup(archive)
    with tarfile.open(archive) as tar:
        archived = sorted(n.removeprefix("media/") for n in tar.getnames() if n.startswith("media/"))
    assert archived == files_under(second_root) and manifest["media_files"] == len(archived)


@pytest.fixture
def s3_store(settings):
    """A private bucket on moto's S3-compatible server (the store `make cluster` runs too)."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer
    except ImportError:
        pytest.skip("!!! moto[server] CHƯA CÀI: bài kiểm thử kho S3 KHÔNG chạy (uv sync --frozen)")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    client = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="thu",
        aws_secret_access_key="nghiem",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="hoiccb")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": deploy.storage_setting(f"s3://thu:nghiem@127.0.0.1:{port}/hoiccb?secure=0"),
    }
    yield client
    server.stop()


def test_files_go_to_a_private_s3_bucket_and_downloads_pass_the_scope_check(cast, login, settings, s3_store):
    batch = exercise_every_private_file(cast, login)
    keys = sorted(o["Key"] for o in s3_store.list_objects_v2(Bucket="hoiccb")["Contents"])
    assert "awards/mau-quyet-dinh.docx" in keys
    assert any(k.startswith("private/imports/") and k.endswith(".cells.json") for k in keys)
    assert files_under(settings.MEDIA_ROOT) == []
    # Nothing in the bucket is readable without credentials.
    import urllib.error
    import urllib.request

    endpoint = s3_store.meta.endpoint_url
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/hoiccb/awards/mau-quyet-dinh.docx", timeout=5)  # noqa: S310 - local
    assert refused.value.code == 403
    # The template download is streamed from the bucket, to the administrator only.
    response = login(cast["admin"]).get("/thi-dua/mau-quyet-dinh/tai-ve.docx")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == decision_template.default_template()
    assert login(cast["coso1"]).get("/thi-dua/mau-quyet-dinh/tai-ve.docx").status_code == 404
    assert analysis.read_sheet(batch).rows[1][1] == "Nguyễn Văn Hùng"


# --- The cache: a real Redis -------------------------------------------------------------


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("!!! redis-server CHƯA CÀI: bài kiểm thử Redis KHÔNG chạy (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


def test_progress_heartbeats_and_the_news_token_are_shared_through_redis(settings, redis_url, db):
    from hoiccb.news import cache as news_cache

    settings.CACHES = {"default": deploy.cache_setting(redis_url, default_dir="")}
    jobs.beat("may-2-worker-1")
    news_cache.current_token()
    # Another machine: its own connection to the same Redis.
    from django.core.cache.backends.redis import RedisCache

    other = RedisCache(redis_url, {"KEY_PREFIX": "hoiccb"})
    assert other.get("worker-heartbeat:may-2-worker-1") == jobs.last_beat("may-2-worker-1")
    assert other.get(news_cache.TOKEN_KEY) == caches["default"].get(news_cache.TOKEN_KEY)
    news_cache.forget_token()
    assert other.get(news_cache.TOKEN_KEY) is None


# --- The replica router --------------------------------------------------------------------


@replica.reads_from_replica
def heavy_page(request):
    from django.http import HttpResponse

    return HttpResponse(replica.read_alias())


def ordinary_page(request):
    from django.http import HttpResponse

    return HttpResponse(replica.read_alias())


urlpatterns = [path("nang/", heavy_page), path("thuong/", ordinary_page)]


@pytest.fixture
def with_replica(settings, monkeypatch):
    settings.ROOT_URLCONF = __name__
    # The alias is declared; the pages under test only say which alias they would read.
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "replica_answers", lambda: True)


def test_heavy_pages_read_the_replica_until_the_user_writes(with_replica, login, cast, settings):
    client = login(cast["khoi"])
    assert client.get("/nang/").content == b"replica"
    assert client.get("/thuong/").content == b"default"  # unmarked pages: always the primary
    written = client.post("/thuong/")
    pin = written.cookies[replica.PIN_COOKIE]
    assert pin["max-age"] == settings.REPLICA_PIN_SECONDS and pin["httponly"]
    assert client.get("/nang/").content == b"default"  # right after a write: the primary
    client.cookies.pop(replica.PIN_COOKIE)  # the pin expired
    assert client.get("/nang/").content == b"replica"
    assert replica.read_alias() == "default"  # nothing leaks out of the request


@pytest.fixture
def replica_at(settings, monkeypatch):
    """A real connection standing for the replica: to the test database itself, or to nowhere.

    (Made beside Django's handler: the test runner lets a test touch only the aliases it
    declared before it started.)"""
    from django.db import connections

    settings.ROOT_URLCONF = __name__
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "_down_until", 0.0)
    made = []

    def point(*, nowhere: bool) -> None:
        alias = dict(connections["default"].settings_dict)
        if nowhere and alias["ENGINE"].endswith("sqlite3"):
            alias["NAME"] = "/thu-muc-khong-co/ban-sao.sqlite3"
        elif nowhere:
            alias.update(HOST="127.0.0.1", PORT=str(free_port()), OPTIONS={**alias["OPTIONS"], "connect_timeout": 2})
        connection = type(connections["default"])(alias, "default")
        made.append(connection)
        monkeypatch.setattr(replica, "_replica_connection", lambda: connection)

    yield point
    for connection in made:
        connection.close()


def test_a_replica_that_answers_serves_the_heavy_pages(replica_at, login, cast):
    replica_at(nowhere=False)
    assert login(cast["khoi"]).get("/nang/").content == b"replica"


def test_a_replica_that_does_not_answer_sends_its_pages_to_the_primary(replica_at, login, cast, settings):
    replica_at(nowhere=True)
    client = login(cast["khoi"])
    started = time.monotonic()
    assert client.get("/nang/").content == b"default"  # served, from the primary: no error page
    assert replica._down_until >= started + settings.REPLICA_DOWN_SECONDS - 1
    replica_at(nowhere=False)  # the replica is back…
    assert client.get("/nang/").content == b"default"  # …but is not tried again so soon
    replica._down_until = 0.0  # the time has passed
    assert client.get("/nang/").content == b"replica"


def test_without_a_replica_everything_reads_the_primary(login, cast, settings):
    settings.ROOT_URLCONF = __name__
    assert login(cast["khoi"]).get("/nang/").content == b"default"


def test_writes_and_migrations_stay_on_the_primary():
    router = replica.ReplicaRouter()
    assert router.allow_migrate("default", "members") is True
    assert router.allow_migrate(deploy.REPLICA, "members") is False
    assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"


# --- /healthz and /readyz ------------------------------------------------------------------


def test_healthz_is_cheap_and_names_no_vendor(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and json.loads(response.content) == {"status": "ok"}


def test_readyz_checks_database_cache_storage_and_workers(client, login, cast, db):
    anonymous = json.loads(client.get("/readyz").content)
    assert set(anonymous["checks"]) == {"database", "cache", "storage", "workers"}
    assert anonymous["checks"]["workers"] == {"status": "degraded"}  # no worker has beaten yet
    assert "postgresql" not in json.dumps(anonymous) and "sqlite" not in json.dumps(anonymous)
    jobs.beat("w1")
    detailed = json.loads(login(cast["admin"]).get("/readyz").content)
    assert detailed["status"] == "ok"
    assert (
        detailed["checks"]["workers"]["status"] == "ok" and "nhịp gần nhất" in detailed["checks"]["workers"]["detail"]
    )


def test_readyz_says_503_when_the_cache_is_down(client, settings, db):
    settings.CACHES = {"default": deploy.cache_setting(f"redis://127.0.0.1:{free_port()}/0", default_dir="")}
    response = client.get("/readyz")
    assert response.status_code == 503
    payload = json.loads(response.content)
    assert payload["status"] == "failed" and payload["checks"]["cache"] == {"status": "failed"}
    assert payload["checks"]["database"] == {"status": "ok"}
