#!/usr/bin/env python
"""Benchmark the member import (upload → analyse/preview → commit) and the export at 100,000 rows.

    DEBUG=1 .venv/bin/python bench/imports.py --db sqlite
    DEBUG=1 .venv/bin/python bench/imports.py --db postgres

One generated .xlsx list (cached in var/) goes through, each in a fresh subprocess
against the same freshly reset database:
  ours   import_upload + analyse + commit, as user `khoi`, units from the "Chi hội" column
  iee    django-import-export, bulk mode (use_bulk, batch_size=1000), same file via tablib
  floor  python_calamine read + minimal value dicts + bulk_insert_members (COPY on PostgreSQL)
  export export_members of the bloc's active members, run on the database "ours" left
and prints seconds, rows/s, peak RSS and OK/MISS against the issue's targets.
See bench/README.md.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from import_contenders import HEADINGS, TITLE_ROWS, child_main, log  # bench/import_contenders.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Several people share one PostgreSQL server: BENCH_PG_NAME (or --pg-name) picks the databases.
PG_DB_NAME = os.environ.get("BENCH_PG_NAME", "hoiccb_bench_import")
PG_TEMPLATE = PG_DB_NAME + "_template"
# Issue 14: ≥ 8,000 rows/s on SQLite, ≥ 6,000 on PostgreSQL, within 2.5× of the floor, ≤ 400 MB.
TARGET_ROWS_PER_S = {"sqlite": 8_000, "postgres": 6_000}
TARGET_RSS_MB = 400
TARGET_IEE_RATIO = 10.0  # iee seconds / ours seconds ≥ 10
TARGET_FLOOR_RATIO = 2.5  # ours seconds / floor seconds ≤ 2.5
TARGET_EXPORT_S = 10.0
CONTENDERS = ("ours", "iee", "floor", "export")


def parse_args() -> argparse.Namespace:
    global PG_DB_NAME, PG_TEMPLATE
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000, help="data rows in the generated file (default 100,000)")
    parser.add_argument(
        "--iee-rows", type=int, help="run django-import-export on the first N rows only and extrapolate rows/s"
    )
    parser.add_argument(
        "--only", default=",".join(CONTENDERS), help="comma-separated contenders (default: ours,iee,floor,export)"
    )
    parser.add_argument("--profile", action="store_true", help="run 'ours' under cProfile (its timings are inflated)")
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-import.sqlite3"))
    parser.add_argument(
        "--pg-server",
        default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"),
        help=f"PostgreSQL server URL; the databases are {PG_DB_NAME!r} and {PG_TEMPLATE!r}",
    )
    parser.add_argument(
        "--pg-name", default=PG_DB_NAME, help="PostgreSQL database name (its template gets '_template' appended)"
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the template database and the file")
    # Internal: run one contender in this process and print its result as JSON.
    parser.add_argument("--child", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    PG_DB_NAME, PG_TEMPLATE = args.pg_name, args.pg_name + "_template"
    return args


# --- Databases ----------------------------------------------------------------------


def sqlite_template(args) -> Path:
    path = Path(args.sqlite_path).resolve()
    return path.with_name(path.stem + "-template" + path.suffix)


def pg_connect_kwargs(args) -> dict:
    import dj_database_url

    server = dj_database_url.parse(args.pg_server.rstrip("/") + "/postgres")
    return {
        "host": server["HOST"] or None,
        "port": server["PORT"] or None,
        "user": server["USER"] or None,
        "password": server["PASSWORD"] or None,
    }


def database_url(args, name: str) -> str:
    if args.db == "sqlite":
        return f"sqlite:///{name}"
    return args.pg_server.rstrip("/") + "/" + name


def template_exists(args) -> bool:
    if args.db == "sqlite":
        return sqlite_template(args).exists()
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **pg_connect_kwargs(args)) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_TEMPLATE]).fetchone())


def drop_template(args) -> None:
    if args.db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_template(args)}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", autocommit=True, **pg_connect_kwargs(args)) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_TEMPLATE)))


def build_template(args) -> None:
    """Create the template database: migrate + seed_demo (in a subprocess, so nothing stays connected)."""
    if args.db == "sqlite":
        url = database_url(args, str(sqlite_template(args)))
    else:
        import psycopg
        from psycopg import sql

        with psycopg.connect(dbname="postgres", autocommit=True, **pg_connect_kwargs(args)) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_TEMPLATE)))
        url = database_url(args, PG_TEMPLATE)
    code = (
        "import django, sys; django.setup();"
        "from django.core.management import call_command;"
        "call_command('migrate', verbosity=0, interactive=False);"
        "call_command('seed_demo', allow_production=True, stdout=sys.stderr);"
        "from django.db import connection;"
        "c = connection.cursor();"
        "c.execute('ANALYZE');"
        "connection.vendor == 'sqlite' and c.execute('PRAGMA wal_checkpoint(TRUNCATE)')"
    )
    log("Building the template database (migrate + seed_demo)…")
    subprocess.run([sys.executable, "-c", code], env=child_env(url), check=True, cwd=ROOT)


def reset_database(args) -> str:
    """Make the working database a copy of the template; returns its URL."""
    if args.db == "sqlite":
        path = Path(args.sqlite_path).resolve()
        if path.name == "hoiccb.sqlite3":
            sys.exit("Refusing to use the development database; pick another --sqlite-path.")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(sqlite_template(args), path)
        return database_url(args, str(path))
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", autocommit=True, **pg_connect_kwargs(args)) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_DB_NAME)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(PG_DB_NAME), sql.Identifier(PG_TEMPLATE))
        )
    return database_url(args, PG_DB_NAME)


def child_env(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "hoiccb.settings",
            "DEBUG": env.get("DEBUG", "1"),
            # Keep stored uploads and progress entries out of the development var/ folders.
            "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
            "CACHE_DIR": str(ROOT / "var" / "bench-cache"),
        }
    )
    return env


# --- The file -----------------------------------------------------------------------------


def unit_names(url: str) -> list[str]:
    """Names of the bloc's member-holding units that hold members and match one unit only."""
    code = (
        "import django, json; django.setup();"
        "from collections import Counter;"
        "from hoiccb.accounts.models import User;"
        "from hoiccb.members.models import Member;"
        "from hoiccb.org.models import Unit;"
        "from hoiccb.lib.vietnamese import normalize_search;"
        "bloc = User.objects.get(username='khoi').unit;"
        "units = list(Unit.objects.subtree(bloc).filter(kind__holds_members=True, status='active'));"
        "n = Counter(normalize_search(u.name) for u in Unit.objects.all());"
        "held = set(Member.objects.values_list('unit_id', flat=True).distinct());"
        "print(json.dumps(sorted(u.name for u in units if n[normalize_search(u.name)] == 1 and u.pk in held)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=child_env(url), check=True, cwd=ROOT, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def file_path(args) -> Path:
    return ROOT / "var" / f"bench-import-{args.rows}.xlsx"


def generate_file(path: Path, rows: int, units: list[str]) -> None:
    """Write the list with XlsxWriter (constant_memory) from generate_members' records."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")
    import django

    django.setup()
    import xlsxwriter

    from hoiccb.demo.members import generate_members
    from hoiccb.lib.dates import PartialDate

    class FakeUnit:  # generate_members only reads pk and path
        def __init__(self, pk, name):
            self.pk, self.path, self.name = pk, "", name

    fakes = [FakeUnit(i, name) for i, name in enumerate(units)]
    rng = random.Random(7)
    tmp = path.with_suffix(".tmp.xlsx")
    book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    sheet = book.add_worksheet("Danh sách")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, title in enumerate(TITLE_ROWS):
        sheet.write_string(r, 0, title)
    header = len(TITLE_ROWS)
    for c, heading in enumerate(HEADINGS):
        sheet.write_string(header, c, heading)

    def date_cell(row: int, col: int, stored: str) -> None:
        value = PartialDate.from_storage(stored)
        if value.day is not None and rng.random() < 0.3:
            sheet.write_datetime(row, col, datetime.datetime(value.year, value.month, value.day), date_format)
        elif value.day is not None:
            sheet.write_string(row, col, f"{value.day:02d}/{value.month:02d}/{value.year}")
        elif value.month is not None:
            sheet.write_string(row, col, f"{value.month}/{value.year}")
        else:
            sheet.write_string(row, col, str(value.year))

    for n, record in enumerate(generate_members(fakes, rows, seed=99, start_number=500_000), start=1):
        v = record.values
        r = header + n
        sheet.write_number(r, 0, n)
        sheet.write_string(r, 1, f"{v['ho']} {v['chu_dem']} {v['ten']}")
        date_cell(r, 2, v["birth_date"])
        sheet.write_string(r, 3, "Nữ" if v["gender"] == "nu" else "Nam")
        if v["cccd"]:
            sheet.write_string(r, 4, v["cccd"])
        sheet.write_string(r, 5, v["hometown"])
        sheet.write_string(r, 6, v["residence"])
        date_cell(r, 7, v["enlisted_on"])
        sheet.write_string(r, 8, v["rank"])
        if v["party_member"]:
            sheet.write_string(r, 9, "x")
        sheet.write_string(r, 10, fakes[v["unit_id"]].name)
    book.close()
    tmp.replace(path)


# --- Main ---------------------------------------------------------------------------------


def run_child(args, contender: str, url: str, path: Path) -> dict:
    cmd = [sys.executable, __file__, "--db", args.db, "--child", contender, "--file", str(path)]
    if args.iee_rows:
        cmd += ["--iee-rows", str(args.iee_rows)]
    if args.profile:
        cmd.append("--profile")
    log(f"--- {contender} …")
    started = time.perf_counter()
    run = subprocess.run(cmd, env=child_env(url), cwd=ROOT, stdout=subprocess.PIPE, text=True)
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    if run.returncode or not lines:
        log(f"!! {contender} failed (exit {run.returncode})")
        return {"failed": True}
    result = json.loads(lines[-1][7:])
    log(f"    done in {time.perf_counter() - started:.1f} s (wall, with Django start-up)")
    return result


def code_version() -> str:
    try:
        run = {"cwd": ROOT, "capture_output": True, "text": True, "check": True}
        head = subprocess.run(["git", "log", "-1", "--format=%h %ad", "--date=iso"], **run).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "hoiccb"], **run).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return f"git {head}" + (" + uncommitted changes under hoiccb/" if dirty else "")


def mark(ok: bool, target: str) -> str:
    return "OK  " if ok else f"MISS (target {target})"


def main() -> None:
    args = parse_args()
    if args.child:
        child_main(args)
        return
    wanted = [c for c in args.only.split(",") if c]
    if args.fresh:
        drop_template(args)
        file_path(args).unlink(missing_ok=True)
    template_url = database_url(args, str(sqlite_template(args)) if args.db == "sqlite" else PG_TEMPLATE)
    if not template_exists(args):
        build_template(args)
    else:  # the app's migrations move on: bring the template along
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            env=child_env(template_url),
            check=True,
            cwd=ROOT,
        )
    path = file_path(args)
    if not path.exists():
        names = unit_names(template_url)
        log(f"Generating {path.name}: {args.rows:,} rows over {len(names)} units…")
        started = time.perf_counter()
        generate_file(path, args.rows, names)
        log(f"    written in {time.perf_counter() - started:.1f} s ({path.stat().st_size / 1e6:.1f} MB)")

    results = {}
    url = None
    load_before = os.getloadavg()
    for contender in wanted:
        if contender == "export" and "ours" in results and not results["ours"].get("failed"):
            pass  # export reads the members "ours" just imported: no reset
        else:
            url = reset_database(args)
            if contender == "export":
                log("(export without a preceding 'ours' run: importing with 'ours' first, untimed)")
                run_child(args, "ours", url, path)
        results[contender] = run_child(args, contender, url, path)

    version = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.db import connection as c; "
            "cur = c.cursor(); cur.execute('SHOW server_version' if c.vendor == 'postgresql' else "
            "'SELECT sqlite_version()'); print(('PostgreSQL ' if c.vendor == 'postgresql' else 'SQLite ') "
            "+ cur.fetchone()[0])",
        ],
        env=child_env(url or template_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    rows = args.rows
    print(
        f"# {version} — {rows:,}-row .xlsx ({path.stat().st_size / 1e6:.1f} MB) — {os.cpu_count()} CPUs"
        f" — {code_version()}" + (" — PROFILED (ours inflated)" if args.profile else "")
    )
    # The machine may be shared: the load says how far the absolute figures can be trusted.
    load_after = os.getloadavg()
    print(
        f"# load average (1, 5, 15 min) before {' '.join(f'{x:.1f}' for x in load_before)}, "
        f"after {' '.join(f'{x:.1f}' for x in load_after)}"
    )
    # CPU: what the contender's own process spent (a shared machine slows the wall clock, not this);
    # on PostgreSQL the server's CPU is not in it.
    print(f"# {'contender':<8} {'seconds':>8} {'CPU s':>6} {'rows/s':>9} {'peak RSS':>9}  stages / notes")
    for name in wanted:
        r = results.get(name, {})
        if r.get("failed") or not r:
            print(f"{name:<10} FAILED")
            continue
        n = r.get("rows_run", rows) if name != "export" else r["inserted"]
        rate = n / r["seconds"]
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in r["stages"].items())
        label = name + ("*" if name == "iee" and n < rows else "")
        print(
            f"{label:<10} {r['seconds']:8.1f} {r.get('cpu_seconds', 0):6.1f} {rate:9,.0f}"
            f" {r['peak_rss_mb']:7.0f} MB  {stages}"
            f" | {r['note']} | check: {r['check']}"
        )
        r["rate"] = rate
    if "iee" in results and results["iee"].get("rows_run", rows) < rows and not results["iee"].get("failed"):
        print(f"#   * iee ran on the first {results['iee']['rows_run']:,} rows; rows/s extrapolated to {rows:,} rows")

    print("# targets")
    ours = results.get("ours", {})
    if ours and not ours.get("failed"):
        target_rate = TARGET_ROWS_PER_S[args.db]
        rate_mark = mark(ours["rate"] >= target_rate, f"≥ {target_rate:,} rows/s")
        rss_mark = mark(ours["peak_rss_mb"] <= TARGET_RSS_MB, "≤ 400 MB")
        print(f"ours rows/s   {ours['rate']:9,.0f}            {rate_mark}")
        print(f"ours peak RSS {ours['peak_rss_mb']:9.0f} MB         {rss_mark}")
        iee = results.get("iee", {})
        if iee and not iee.get("failed"):
            ratio = ours["rate"] / iee["rate"]
            note = " (iee rate extrapolated)" if iee.get("rows_run", rows) < rows else ""
            print(
                f"iee/ours      ×{ratio:8.1f}            {mark(ratio >= TARGET_IEE_RATIO, 'ours ≥ 10× faster')}{note}"
            )
        floor = results.get("floor", {})
        if floor and not floor.get("failed"):
            ratio = ours["seconds"] / floor["seconds"]
            print(f"ours/floor    ×{ratio:8.1f}            {mark(ratio <= TARGET_FLOOR_RATIO, 'ours ≤ 2.5× floor')}")
    export = results.get("export", {})
    if export and not export.get("failed"):
        ok = export["seconds"] <= TARGET_EXPORT_S and export["inserted"] >= 100_000
        print(f"export        {export['seconds']:9.1f} s          {mark(ok, '100,000 rows ≤ 10 s')}")


if __name__ == "__main__":
    main()
