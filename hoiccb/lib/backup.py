"""One archive with a consistent database dump and every uploaded file, and its restore.

The archive (.tar.gz) holds:

- ``manifest.json``: format, when, database vendor, the applied migrations, the rows
  of every table as the dump has them, the number and size of the media files;
- the database: on SQLite a copy made by SQLite's online backup API
  (``database.sqlite3``, consistent while the application writes); on PostgreSQL a
  ``pg_dump -Fc`` (``database.pgdump``) taken in the same snapshot as the counts;
- ``media/``: every file of the storage (MEDIA_ROOT, or the bucket with STORAGE_URL),
  public uploads and ``private/`` alike, read through Django's storage API.

Restore refuses a database or media folder that already holds data unless forced,
puts both back, runs the migrations the code has beyond the archive's, and checks
every table's count against the manifest.
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from hoiccb.lib import storage

FORMAT = 1
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Vietnamese."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(conn) -> list[str]:
    return sorted(conn.introspection.django_table_names(only_existing=True, include_views=False))


def _count_with(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - names from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def table_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Return the rows of every table of the installed apps, as the database has them now."""
    conn = connections[using]
    with conn.cursor() as cursor:
        return _count_with(cursor, _tables(conn))


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return []
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _pg_args(conn) -> tuple[list[str], dict[str, str]]:
    params = conn.settings_dict
    args = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"Không tìm thấy chương trình “{name}” (gói postgresql-client): hãy cài rồi chạy lại.")
    return found


def _dump_sqlite(conn, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    conn.ensure_connection()
    with sqlite3.connect(target) as copy:
        conn.connection.backup(copy)
    # Counts and migrations come from the copy itself, so they match it exactly.
    with sqlite3.connect(target) as copy:
        cursor = copy.cursor()
        counts = _count_with(cursor, _tables(conn))
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [list(row) for row in cursor.fetchall()]
    copy.close()
    return counts, migrations


def _dump_postgresql(conn, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    args, env = _pg_args(conn)
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        # One snapshot for the dump and the counts: pg_dump joins this transaction's view.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
        # The arguments are our own settings, passed as a list (no shell).
        done = subprocess.run(  # noqa: S603
            [*command, *args, "--file", str(target)], env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump không thành công: {done.stderr.strip()}")
        counts = _count_with(cursor, _tables(conn))
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [list(row) for row in cursor.fetchall()]
    return counts, migrations


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def backup(output: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write the archive to `output` (a .tar.gz, readable by its owner only); return its manifest."""
    conn = connections[using]
    vendor = conn.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Chưa hỗ trợ sao lưu CSDL {vendor}.")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hoiccb-backup-") as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        counts, migrations = (_dump_sqlite if vendor == "sqlite" else _dump_postgresql)(conn, dump)
        files = [(name, storage.size(name)) for name in storage.walk()]
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": vendor,
            "database_file": DUMP_NAMES[vendor],
            "migrations": migrations,
            "counts": counts,
            "media_files": len(files),
            "media_bytes": sum(size for _, size in files),
        }
        partial = output.with_name(output.name + ".part")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            archive.add(dump, arcname=DUMP_NAMES[vendor])
            for name, size in files:
                info = tarfile.TarInfo(f"media/{name}")
                info.size, info.mode = size, 0o600
                info.mtime = int(storage.modified(name).timestamp())
                with storage.open_for_download(name) as handle:
                    archive.addfile(info, handle)
        partial.replace(output)
    return manifest


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"hoiccb-{stamp}.tar.gz"


# --- Restore -----------------------------------------------------------------------


def database_is_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when the database holds no account (a new database, or one only migrated).

    Migrations alone fill a few tables (content types, unit kinds…); the first account is
    the first thing a person adds, so it tells a used installation from a fresh one.
    """
    from django.contrib.auth import get_user_model

    model = get_user_model()
    if model._meta.db_table not in connections[using].introspection.table_names():
        return True
    return not model.objects.using(using).exists()


def _media_has_files() -> bool:
    return next(storage.walk(), None) is not None


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError:
        member = None
    if member is None:
        raise BackupError("Tệp không phải bản sao lưu HoiCCB (thiếu manifest.json).")
    manifest = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Bản sao lưu dạng {manifest.get('format')} không đọc được (cần dạng {FORMAT}).")
    return manifest


def restore(source: Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Put the archive back into this installation; return its manifest. Raises BackupError."""
    from django.core.management import call_command
    from django.db.migrations.loader import MigrationLoader

    conn = connections[using]
    try:
        archive = tarfile.open(source, mode="r:gz")  # noqa: SIM115 - closed by the `with` below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Không mở được tệp sao lưu “{source}”: {exc}") from None
    with archive, tempfile.TemporaryDirectory(prefix="hoiccb-restore-") as work:
        manifest = read_manifest(archive)
        if manifest["vendor"] != conn.vendor:
            raise BackupError(
                f"Bản sao lưu là của CSDL {manifest['vendor']}, còn cài đặt này dùng {conn.vendor}: "
                "hãy phục hồi vào cùng loại CSDL."
            )
        loader = MigrationLoader(None, ignore_no_migrations=True)
        known = {f"{app}.{name}" for app, name in loader.disk_migrations}
        unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if f"{app}.{name}" not in known]
        if unknown:
            raise BackupError(
                "Bản sao lưu được tạo bởi phiên bản mới hơn của phần mềm (có migration "
                f"{', '.join(unknown[:3])}…): hãy cập nhật phần mềm trước khi phục hồi."
            )
        if not force and not database_is_empty(using):
            raise BackupError(
                "CSDL đích đã có dữ liệu (đã có tài khoản). Phục hồi chỉ vào một cài đặt trống; "
                "dùng --force nếu chắc chắn muốn ghi đè."
            )
        if not force and _media_has_files():
            raise BackupError("Kho tệp tải lên đã có tệp. Hãy dùng kho (thư mục) trống, hoặc --force.")
        # Extract with the "data" filter: no absolute paths, no "..", no links out, no devices.
        archive.extractall(work, filter="data")
        dump = Path(work) / manifest["database_file"]
        if conn.vendor == "sqlite":
            _restore_sqlite(conn, dump)
        else:
            _restore_postgresql(conn, dump)
        restored_media = Path(work) / "media"
        if force:
            for name in list(storage.walk()):
                storage.delete(name)
        if restored_media.is_dir():
            for path in sorted(restored_media.rglob("*")):
                if path.is_file():
                    storage.put_file(path.relative_to(restored_media).as_posix(), path)
    conn.close()
    # The archive's counts are checked before any newer migration can change them.
    differences = {
        table: (expected, actual)
        for table, actual in table_counts(using).items()
        if (expected := manifest["counts"].get(table)) is not None and expected != actual
    }
    if differences:
        listed = "; ".join(f"{t}: {e} → {a}" for t, (e, a) in sorted(differences.items())[:5])
        raise BackupError(f"Số dòng sau phục hồi không khớp bản sao lưu: {listed}")
    files = list(storage.walk())
    if len(files) < manifest["media_files"]:
        raise BackupError(f"Chỉ phục hồi được {len(files)}/{manifest['media_files']} tệp tải lên.")
    call_command("migrate", interactive=False, verbosity=0, database=using)
    return manifest


def _restore_sqlite(conn, dump: Path) -> None:
    conn.ensure_connection()
    with sqlite3.connect(dump) as source:
        # The backup API copies every page into the live database, whatever it held.
        source.backup(conn.connection)
    source.close()


def _restore_postgresql(conn, dump: Path) -> None:
    args, env = _pg_args(conn)
    conn.close()
    command = [
        _tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
    ]
    done = subprocess.run([*command, *args, str(dump)], env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"pg_restore không thành công: {done.stderr.strip()[:2000]}")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def describe(manifest: dict[str, Any]) -> str:
    """One line about an archive, for the commands' output."""
    created = datetime.datetime.fromisoformat(manifest["created_at"])
    rows = sum(manifest["counts"].values())
    return (
        f"CSDL {manifest['vendor']}, tạo lúc {timezone.localtime(created):%H:%M %d/%m/%Y}, "
        f"{len(manifest['counts'])} bảng, {_number(rows)} dòng, {_number(manifest['media_files'])} tệp "
        f"({_number(manifest['media_bytes'])} byte)"
    )
