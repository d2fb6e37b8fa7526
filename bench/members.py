#!/usr/bin/env python
"""Benchmark the member registry's two hot reads against naive baselines.

    DEBUG=1 .venv/bin/python bench/members.py --db sqlite --members 200000
    DEBUG=1 .venv/bin/python bench/members.py --db postgres --members 3000000

Each figure times the real path (`member_list_page`: capped count, plan choice, keyset page;
what the member list view runs) and, in the same run, a naive query returning the
same kind of page, and prints p50/p95 of both. The data lives in a database of its
own (var/bench.sqlite3, or the PostgreSQL database `hoiccb_bench`), built on the
first run and reused while the member count matches. See bench/README.md.
"""

import argparse
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_DB_NAME = "hoiccb_bench"
DEFAULTS = {"sqlite": 200_000, "postgres": 3_000_000}
TARGET_P95_MS = {"sqlite": 50.0, "postgres": 100.0}
TOP_UP_CHUNK = 250_000  # members per seed_demo call, so that progress shows
PAGE_SIZE = 50
DEEP_PAGES = 20
SEARCHES = ["hung", "nguy", "thanh", "duc", "van hu"]  # plus a rare fragment and "bm000123"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--members", type=int, help="member count (default 200,000 SQLite, 3,000,000 PostgreSQL)")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per figure (default 30)")
    parser.add_argument("--baseline-repeat", type=int, help="timed runs per baseline (default: --repeat)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs before each measurement (default 3)")
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument(
        "--pg-server",
        default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL (the database is --pg-db)",
    )
    parser.add_argument("--pg-db", default=PG_DB_NAME, help=f"PostgreSQL database name (default {PG_DB_NAME!r})")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database and build it again")
    parser.add_argument("--load-only", action="store_true", help="build or reuse the data, then stop")
    parser.add_argument("--explain", action="store_true", help="print the real path's query plans instead of timing")
    parser.add_argument("--only", default="", help="run only figures whose label contains this text")
    add_before_without(parser)
    parser.add_argument("--skip-baseline", action="store_true", help="do not time the naive baselines")
    args = parser.parse_args()
    args.members = args.members or DEFAULTS[args.db]
    args.baseline_repeat = args.baseline_repeat or args.repeat
    return args


def add_before_without(parser: argparse.ArgumentParser) -> None:
    """--before-without INDEX (repeatable): see measure_without; bench/inbox.py has it too."""
    parser.add_argument(
        "--before-without",
        metavar="INDEX",
        action="append",
        default=[],
        help="also time the real path with this index dropped (in a transaction rolled back): before/after in one run",
    )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- The benchmark database -------------------------------------------------------


def point_django_at_bench_db(args: argparse.Namespace) -> None:
    """Set DATABASE_URL to the benchmark database (creating it on PostgreSQL); before django.setup()."""
    db_name = args.pg_db
    if args.db == "sqlite":
        path = Path(args.sqlite_path).resolve()
        if path.name == "hoiccb.sqlite3":
            sys.exit("Refusing to use the development database; pick another --sqlite-path.")
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return

    import dj_database_url
    import psycopg
    from psycopg import sql

    server = dj_database_url.parse(args.pg_server.rstrip("/") + "/postgres")
    connect = {
        "host": server["HOST"] or None,
        "port": server["PORT"] or None,
        "user": server["USER"] or None,
        "password": server["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **connect) as conn:
        if args.fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db_name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
        if not exists:
            log(f"Creating database {db_name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db_name)))
    os.environ["DATABASE_URL"] = args.pg_server.rstrip("/") + "/" + db_name


def load_data(target: int) -> bool:
    """Migrate, seed the demo bloc, top up to `target` members; returns whether anything was loaded."""
    from django.core.management import call_command

    from hoiccb.members.models import Member
    from hoiccb.org.models import Unit

    call_command("migrate", verbosity=0, interactive=False)
    loaded = False
    if not Unit.objects.exists():
        log("Seeding the demo bloc (3,000 members, users admin/khoi/coso1/coso2)…")
        call_command("seed_demo", allow_production=True, stdout=sys.stderr)
        loaded = True
    count = Member.objects.count()
    if count > target:
        log(f"!! The benchmark database already holds {count:,} members (> {target:,}); using them as they are.")
        log("!! Pass --fresh to rebuild it at the requested size.")
    while count < target:
        chunk = min(target - count, TOP_UP_CHUNK)
        log(f"Adding {chunk:,} members ({count:,} → {count + chunk:,})…")
        call_command("seed_demo", members=chunk, allow_production=True, stdout=sys.stderr)
        count = Member.objects.count()
        loaded = True
    return loaded


def analyze(loaded: bool) -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A freshly COPYed table has no visibility map yet; a vacuum gives it the
            # state autovacuum keeps a live table in (index-only scans work).
            cursor.execute("VACUUM (ANALYZE) members_member" if loaded else "ANALYZE")
        else:
            cursor.execute("ANALYZE")
    log(f"ANALYZE done in {time.perf_counter() - started:.1f} s")


# --- Measuring ---------------------------------------------------------------------


def measure(fn: Callable[[], object], repeat: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p50_p95(samples: list[float]) -> tuple[float, float]:
    if len(samples) == 1:
        return samples[0], samples[0]
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return cuts[9], cuts[18]


class Figure:
    def __init__(self, label: str, real: Callable[[], object], baseline: Callable[[], object], note: str = ""):
        self.label, self.real, self.baseline, self.note = label, real, baseline, note


def measure_without(indexes: list[str], fn: Callable[[], object], repeat: int, warmup: int) -> list[float]:
    """Time fn with the given indexes dropped, in a transaction rolled back (the database keeps them)."""
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            for index in indexes:
                cursor.execute(f'DROP INDEX "{index}"')
        samples = measure(fn, repeat, warmup)
        transaction.set_rollback(True)
    return samples


def run_figure(figure: Figure, args, target_ms: float) -> str:
    real50, real95 = p50_p95(measure(figure.real, args.repeat, args.warmup))
    before = ""
    if args.before_without:
        old50, old95 = p50_p95(measure_without(args.before_without, figure.real, args.repeat, args.warmup))
        before = f"before p50 {old50:7.1f} ms p95 {old95:7.1f} ms | "
    baseline = ""
    if not args.skip_baseline:
        base50, base95 = p50_p95(measure(figure.baseline, args.baseline_repeat, min(args.warmup, 1)))
        baseline = f"baseline p50 {base50:8.1f} ms p95 {base95:8.1f} ms | ×{base50 / real50:6.1f} | "
    mark = "ok" if real95 <= target_ms else f"MISS (target p95 ≤ {target_ms:.0f} ms)"
    return f"{figure.label:<26} p50 {real50:7.1f} ms  p95 {real95:7.1f} ms | {before}{baseline}{mark:<4} {figure.note}"


# --- The figures ----------------------------------------------------------------


def build_figures(args) -> tuple[list[Figure], dict]:
    from django.db.models import Q, Value
    from django.db.models.functions import Concat

    from hoiccb.accounts.models import User
    from hoiccb.members import selectors
    from hoiccb.members.models import Member
    from hoiccb.members.selectors import MemberFilters, capped_count, filtered_members, keyset_page
    from hoiccb.org.models import Unit

    # What the member list view calls: member_list_page where the selectors have it
    # (capped count first, which picks the plan), else filtered_members + keyset_page + capped_count.
    list_page = getattr(selectors, "member_list_page", None)
    admin = User.objects.select_related("unit").get(username="admin")
    khoi = User.objects.select_related("unit").get(username="khoi")
    root = admin.unit

    def real_op(user, filters, after=""):
        if list_page is not None:
            return lambda: list_page(user, filters, after=after, size=PAGE_SIZE)

        def op():
            qs = filtered_members(user, filters)
            page = keyset_page(qs, after=after, size=PAGE_SIZE)
            return page, capped_count(qs)

        return op

    def next_cursor(user, filters, after: str) -> str:
        if list_page is not None:
            return list_page(user, filters, after=after, size=PAGE_SIZE)[0].next_cursor
        return keyset_page(filtered_members(user, filters), after=after, size=PAGE_SIZE).next_cursor

    def naive_op(qs, offset=0):
        def op():
            rows = list(qs[offset : offset + PAGE_SIZE])
            return rows, qs.count()

        return op

    def describe(user, filters) -> str:
        count, exact = capped_count(filtered_members(user, filters))
        return f"matches {count:,}" if exact else f"matches >{count:,}"

    # Search: the whole tree, as admin. The baseline searches the raw name (and the
    # card number) with icontains, ordered by the same sort key.
    naive_names = Member.objects.select_related("unit").annotate(
        full_name_raw=Concat("ho", Value(" "), "chu_dem", Value(" "), "ten")
    )

    def naive_search(q: str):
        return naive_names.filter(
            Q(full_name_raw__icontains=q) | Q(card_number__icontains=q), status="active"
        ).order_by("sort_key", "id")

    queries = [*SEARCHES, rare_fragment(admin), "bm000123"]
    figures = []
    for q in queries:
        filters = MemberFilters(q=q)
        figures.append(
            Figure(f"search {q!r}", real_op(admin, filters), naive_op(naive_search(q)), describe(admin, filters))
        )

    # Unit lists in collation order: the whole tree (admin), a mid-size subtree and a
    # small unit (khoi). The baseline lists `unit__in` the subtree's ids by (ho, ten).
    mid, small = pick_units(root)
    lists = [("whole tree", admin, root), ("mid subtree", khoi, mid), ("small unit", khoi, small)]

    def naive_list(unit):
        ids = list(Unit.objects.subtree(unit).values_list("id", flat=True))
        return Member.objects.select_related("unit").filter(unit__in=ids, status="active").order_by("ho", "ten")

    for name, user, unit in lists:
        filters = MemberFilters(unit=unit)
        figures.append(
            Figure(f"list {name}", real_op(user, filters), naive_op(naive_list(unit)), describe(user, filters))
        )
    # A chair's search within their subtree: the name-word walk (PostgreSQL) filters by
    # unit path inside its own index, the baseline as above within the subtree's units.
    for (name, _user, unit), q in itertools.product(lists[1:], ("hung", "van hu")):
        filters = MemberFilters(q=q, unit=unit)
        subtree_ids = list(Unit.objects.subtree(unit).values_list("id", flat=True))
        figures.append(
            Figure(
                f"search {q!r} {name}",
                real_op(khoi, filters),
                naive_op(naive_search(q).filter(unit__in=subtree_ids)),
                describe(khoi, filters),
            )
        )
    for name, user, unit in lists[:2]:
        filters = MemberFilters(unit=unit)
        cursor = ""
        for _ in range(DEEP_PAGES):
            cursor = next_cursor(user, filters, cursor)
        figures.append(
            Figure(
                f"list {name} page {DEEP_PAGES + 1}",
                real_op(user, filters, after=cursor),
                naive_op(naive_list(unit), offset=DEEP_PAGES * PAGE_SIZE),
                f"keyset vs OFFSET {DEEP_PAGES * PAGE_SIZE}",
            )
        )
    units = {
        "real path": (
            "selectors.member_list_page (what the list view calls)"
            if list_page is not None
            else "filtered_members + keyset_page + capped_count (what the list view calls)"
        ),
        "code": code_version(),
        "whole tree": f"{root.name} ({count_members(root):,} members)",
        "mid subtree": f"{mid.name} ({count_members(mid):,} members, {Unit.objects.subtree(mid).count()} units)",
        "small unit": f"{small.name} ({count_members(small):,} members)",
    }
    return figures, units


def code_version() -> str:
    import subprocess

    try:
        run = {"cwd": ROOT, "capture_output": True, "text": True, "check": True}
        head = subprocess.run(["git", "log", "-1", "--format=%h %ad", "--date=iso"], **run).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "hoiccb"], **run).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return f"git {head}" + (" + uncommitted changes under hoiccb/" if dirty else "")


def count_members(unit) -> int:
    from hoiccb.members.models import Member
    from hoiccb.org.paths import subtree_filter

    return Member.objects.filter(status="active", **subtree_filter("unit_path", unit.path)).count()


def pick_units(root):
    """Return (the grassroots association with branches holding most members, the smallest unit with members)."""
    from django.db.models import Count

    from hoiccb.members.models import Member
    from hoiccb.org.models import Unit

    per_unit = dict(
        Member.objects.filter(status="active")
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    units = list(Unit.objects.subtree(root))
    with_branches = {u.parent_id for u in units if u.parent_id}
    by_path = sorted(units, key=lambda u: u.path)

    def subtree_total(unit) -> int:
        return sum(per_unit.get(u.pk, 0) for u in by_path if u.path.startswith(unit.path))

    grassroots = [u for u in units if u.depth == 3 and u.pk in with_branches]
    mid = max(grassroots, key=subtree_total)
    leaves = [u for u in units if u.pk not in with_branches and per_unit.get(u.pk)]
    small = min(leaves, key=lambda u: (per_unit[u.pk], u.path))
    return mid, small


def rare_fragment(user) -> str:
    """Return a query that few members match: the full name of one of the first women listed.

    The generated names draw from ~130 words, so no single word is rare; a whole name
    (family name, middle name, given name, all without marks) is, at any scale.
    """
    from hoiccb.lib.vietnamese import normalize_search
    from hoiccb.members.models import Member
    from hoiccb.members.selectors import MemberFilters, capped_count, filtered_members

    best = None
    women = Member.objects.filter(gender="nu", status="active").order_by("id")
    for ho, chu_dem, ten in women.values_list("ho", "chu_dem", "ten")[:30]:
        q = normalize_search(f"{ho} {chu_dem} {ten}")
        n, _ = capped_count(filtered_members(user, MemberFilters(q=q)))
        if best is None or n < best[1]:
            best = (q, n)
        if n <= 3:
            break
    return best[0]


# --- Query plans --------------------------------------------------------------------


def explain(figures: list[Figure]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pg = connection.vendor == "postgresql"
    for figure in figures:
        with CaptureQueriesContext(connection) as captured:
            figure.real()
        print(f"\n===== {figure.label} (real path: {len(captured)} queries)")
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            print(f"--- {sql}")
            with connection.cursor() as cursor:
                cursor.execute(("EXPLAIN (ANALYZE, BUFFERS) " if pg else "EXPLAIN QUERY PLAN ") + sql)
                for row in cursor.fetchall():
                    print("    " + (row[0] if pg else f"{row[0]:>3} {row[1]:>3} {row[3]}"))


# --- Main -----------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")
    os.environ.setdefault("DEBUG", "1")
    point_django_at_bench_db(args)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from hoiccb.members.models import Member

    started = time.perf_counter()
    loaded = load_data(args.members)
    analyze(loaded)
    log(f"Data ready in {time.perf_counter() - started:.1f} s")
    if args.load_only:
        return
    # Production runs with DEBUG off: no query log wrapping every cursor call.
    settings.DEBUG = False

    figures, units = build_figures(args)
    if args.only:
        figures = [f for f in figures if args.only in f.label]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    target = TARGET_P95_MS[args.db]
    print(
        f"# {version} — {Member.objects.count():,} members ({Member.objects.filter(status='active').count():,} active)"
        f" — {args.repeat} runs per figure ({args.baseline_repeat} per baseline), {args.warmup} warm-up"
        f" — page {PAGE_SIZE} — target p95 ≤ {target:.0f} ms"
    )
    for name, text in units.items():
        print(f"#   {name}: {text}")
    if args.before_without:
        print(f"#   before: the real path without the index {', '.join(args.before_without)}")
    print(f"#   load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("#   ×: baseline p50 / real p50", flush=True)
    if args.explain:
        explain(figures)
        return
    for figure in figures:
        print(run_figure(figure, args, target), flush=True)


if __name__ == "__main__":
    main()
