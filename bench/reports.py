#!/usr/bin/env python
"""Benchmark the periodic reports' three speed targets.

    DEBUG=1 .venv/bin/python bench/reports.py --part bloc       # SQLite, the demo bloc (~10 s to build)
    DEBUG=1 .venv/bin/python bench/reports.py --part national   # PostgreSQL, 3,000,000 members (~6 min first run)

bloc (database var/bench_reports.sqlite3, rebuilt each run with seed_demo: 60 grassroots
associations, ~3,000 members, activities from January 2024 to today):
- the bloc's figures for a year: `figures.compute(<the 60 associations>, 2025)`, what
  opening every unit report and the roll-up's annex needs at once, vs. a naive per-unit
  loop (each unit's members loaded and classified in Python, `activity_counts` per unit);
- the dashboard page through Django's test client as the bloc's officer (session,
  six charts, template) vs. the member list page of the same officer.

national (PostgreSQL database `hoiccb_bench_rep`, cloned from the activities benchmark's
`hoiccb_bench_act` — 17,074 units, 2,000,000 activities, 5,000,000 gifts — plus
3,000,000 members loaded with COPY): a province's roll-up for the first half of 2024,
i.e. the figures of its 10 upper-level units and of each of their 26 associations
(11 `compute` calls) and the sums, vs. the naive loop over the province's members.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGETS_MS = {"bloc figures": 200.0, "dashboard": 300.0, "province roll-up": 3000.0}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(fn: Callable[[], object], repeat: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def line(label: str, ours: list[float], naive: list[float], target: float | None) -> None:
    p50, p95 = statistics.median(ours), sorted(ours)[max(0, int(len(ours) * 0.95) - 1)]
    b50 = statistics.median(naive)
    verdict = "" if target is None else (" OK" if p95 <= target else " MISS")
    print(
        f"{label:<34} ours p50 {p50:8.1f} ms  p95 {p95:8.1f} ms | naive p50 {b50:8.1f} ms | "
        f"{b50 / p50:5.1f}× faster | target ≤ {target:.0f} ms{verdict}"
    )


def naive_figures(unit, start, end) -> dict:
    """The obvious way: load a unit's members and classify them one by one in Python."""
    from hoiccb.activities.selectors import activity_counts
    from hoiccb.members.models import Member
    from hoiccb.org.paths import subtree_filter

    out = {"members": 0, "party": 0, "women": 0, "joined": 0, "died": 0}
    for m in Member.objects.filter(**subtree_filter("unit_path", unit.path)):
        if m.status == "active" or (m.status_date and m.status_date > end):
            out["members"] += 1
            out["party"] += m.party_member
            out["women"] += m.gender == "nu"
        if m.joined_on and start <= m.joined_on.earliest() <= end:
            out["joined"] += 1
        if m.died_on and start <= m.died_on.earliest() <= end:
            out["died"] += 1
    counts = activity_counts(unit, start, end)
    out["activities"] = sum(c.activities for c in counts.values())
    return out


def bloc(args) -> None:
    os.environ.pop("DATABASE_URL", None)
    import django

    from hoiccb import settings as project_settings

    path = ROOT / "var" / "bench_reports.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    project_settings.DATABASES["default"]["NAME"] = str(path)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", verbosity=0)
    log(f"demo bloc built in {time.perf_counter() - started:.1f} s")

    from hoiccb.accounts.models import User
    from hoiccb.members.models import Member
    from hoiccb.org.models import Unit
    from hoiccb.reports import figures

    bloc_unit = Unit.objects.get(code="YB-KCQDN")
    units = list(Unit.objects.filter(parent=bloc_unit).order_by("path"))
    start, end = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    print(f"# bench/reports.py --part bloc · SQLite · {len(units)} units, {Member.objects.count():,} members")
    ours = measure(lambda: figures.compute(units, start, end), args.repeat)
    naive = measure(lambda: [naive_figures(u, start, end) for u in units], max(3, args.repeat // 5), 1)
    line("bloc figures (60 units, a year)", ours, naive, TARGETS_MS["bloc figures"])

    client = Client()
    client.force_login(User.objects.get(username="khoi"))

    def page(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    ours = measure(lambda: page("/bao-cao/tong-quan/"), args.repeat)
    base = measure(lambda: page("/hoi-vien/"), args.repeat)
    line("dashboard page (bloc)", ours, base, TARGETS_MS["dashboard"])
    print("#   (the dashboard's 'naive' column is the member list page of the same officer, for scale)")


def national(args) -> None:
    import psycopg
    from psycopg import sql

    server = args.pg_server.rstrip("/")
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'hoiccb_bench_rep'").fetchone()
        if not exists:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'hoiccb_bench_act'").fetchone():
                sys.exit(
                    "Build the activities benchmark first: DEBUG=1 .venv/bin/python bench/activities.py --load-only"
                )
            log("cloning hoiccb_bench_act into hoiccb_bench_rep")
            conn.execute(sql.SQL("CREATE DATABASE hoiccb_bench_rep TEMPLATE hoiccb_bench_act"))
    os.environ["DATABASE_URL"] = server + "/hoiccb_bench_rep"
    import django

    django.setup()
    from django.core.management import call_command

    from hoiccb.members.models import Member
    from hoiccb.org.models import Unit
    from hoiccb.reports import figures

    call_command("migrate", verbosity=0)
    have = Member.objects.count()
    if have < args.members:
        started = time.perf_counter()
        load_members(have, args.members)
        log(f"members loaded in {time.perf_counter() - started:.0f} s")

    province = Unit.objects.filter(kind__code="tinh").order_by("path").first()
    uppers = list(Unit.objects.filter(parent=province).order_by("path"))
    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)
    n_members = Member.objects.filter(unit_path__startswith=province.path).count()
    print(
        f"# bench/reports.py --part national · PostgreSQL · {Member.objects.count():,} members, "
        f"{Unit.objects.count():,} units · {province.name}: {len(uppers)} upper units, {n_members:,} members"
    )

    def province_rollup():
        totals: dict[str, int] = {}
        for upper in uppers:
            children = list(Unit.objects.filter(parent=upper).order_by("path"))
            figures.compute(children, start, end)  # each association's report
        for values in figures.compute(uppers, start, end).values():  # each upper unit's roll-up
            for code, v in values.items():
                totals[code] = totals.get(code, 0) + v
        return totals

    ours = measure(province_rollup, args.repeat, 1)
    naive = measure(lambda: [naive_figures(u, start, end) for u in uppers], 2, 0)
    line("province roll-up (H1 2024)", ours, naive, TARGETS_MS["province roll-up"])


# Members are made in SQL (generate_series): Python's generator makes ~1,000 a second here,
# an hour for 3 million. Attributes are spread deterministically from the row number.
MEMBER_SQL = """
INSERT INTO members_member (
    unit_id, unit_path, ho, chu_dem, ten, gender, birth_date, birth_year, ethnicity, religion, hometown,
    residence, phone, kind, joined_on, status, status_date, died_on, enlisted_on, discharged_on, discharge_kind,
    rank, served_unit, war_invalid_rate, sick_soldier, agent_orange, hero, policy_family, family_circumstance,
    health_note, party_member, party_joined_on, education, occupation, retired, notes, search_text, sort_key,
    version, created_at, updated_at)
SELECT u.id, u.path, 'Nguyễn', 'Văn', 'Hội viên ' || g, CASE WHEN g %% 12 = 0 THEN 'nu' ELSE 'nam' END,
    (1930 + g %% 50)::text, 1930 + g %% 50, 'Kinh', '', '', '', '', CASE WHEN g %% 5 = 0 THEN 'cqn' ELSE 'ccb' END,
    CASE WHEN g %% 40 = 0 THEN '2024-03-15' ELSE (1990 + g %% 30)::text END,
    CASE WHEN g %% 50 = 0 THEN 'deceased' ELSE 'active' END,
    CASE WHEN g %% 50 = 0 THEN DATE '2020-01-01' + (g %% 1800) END,
    CASE WHEN g %% 50 = 0 THEN to_char(DATE '2020-01-01' + (g %% 1800), 'YYYY-MM-DD') ELSE '' END,
    '', '', '', '', '', CASE WHEN g %% 9 = 0 THEN 21 + g %% 60 END, g %% 17 = 0, g %% 13 = 0, false, g %% 7 = 0, '',
    '', g %% 3 = 0, '', '', '', true, '', 'hoi vien ' || g, ''::bytea, 1, now(), now()
FROM generate_series(%s, %s) AS g
JOIN bench_units u ON u.n = g %% %s
"""


def load_members(have: int, target: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'members_member' AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cursor.fetchall()
        for name, definition in indexes:
            if "unique" not in definition.lower():
                cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            "CREATE TEMP TABLE bench_units AS SELECT (row_number() OVER (ORDER BY u.path)) - 1 AS n, u.id, u.path "
            "FROM org_unit u JOIN org_unitkind k ON k.id = u.kind_id WHERE k.code = 'co-so'"
        )
        cursor.execute("SELECT count(*) FROM bench_units")
        units = cursor.fetchone()[0]
        step = 500_000
        for first in range(have + 1, target + 1, step):
            last = min(first + step - 1, target)
            cursor.execute(MEMBER_SQL, [first, last, units])
            log(f"  {last:,} members")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred FK checks run now, before CREATE INDEX
        for _name, definition in indexes:
            if "unique" not in definition.lower():
                cursor.execute(definition)
        log(f"  {len(indexes)} indexes rebuilt")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["bloc", "national"], default="bloc")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--members", type=int, default=3_000_000)
    parser.add_argument("--pg-server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")
    os.environ.setdefault("DEBUG", "1")
    bloc(args) if args.part == "bloc" else national(args)


if __name__ == "__main__":
    main()
