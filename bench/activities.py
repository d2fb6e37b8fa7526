#!/usr/bin/env python
"""Benchmark the activities' two hot reads at national scale on PostgreSQL.

    DEBUG=1 .venv/bin/python bench/activities.py            # build once (~10 min), then measure
    DEBUG=1 .venv/bin/python bench/activities.py --explain  # query plans instead of timings

Data (database `hoiccb_bench_act`, built on the first run and reused): 17,000+ units
(1 centre, 63 provinces, 10 upper-level units and 260 grassroots associations per
province), 2,000,000 activities over 18 months and 5,000,000 gifts, loaded with COPY.

Figures, each beside a naive baseline measured in the same run:
- per-unit counts for one half-year of a whole province's subtree: `activity_counts`
  (what the periodic reports call) vs. a join through Unit with `path LIKE 'P%'`
  grouped by unit id (no path copy on the rows);
- the activity list's first page and 20th page for a bloc officer, a province officer and
  the national admin: `activity_page` (keyset) vs. `OFFSET` paging with a full COUNT;
  and the bloc's whole list page through Django's test client (session, filter form, template).
"""

import argparse
import datetime
import io
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_DB_NAME = "hoiccb_bench_act"
PROVINCES = 63
UPPER_PER_PROVINCE = 10
GRASSROOTS_PER_UPPER = 26
ACTIVITIES = 2_000_000
GIFTS = 5_000_000
PERIOD_START = datetime.date(2024, 1, 1)
DAYS = 547  # 1 Jan 2024 – 30 Jun 2025
PAGE_SIZE = 50
TARGETS_MS = {"counts": 1000.0, "list": 100.0}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per figure (default 30)")
    parser.add_argument("--baseline-repeat", type=int, default=5, help="timed runs per baseline (default 5)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--pg-server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database and build it again")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database and stop")
    parser.add_argument("--only", default="", help="run only figures whose label contains this text")
    return parser.parse_args()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def server_connection(args):
    import dj_database_url
    import psycopg

    server = dj_database_url.parse(args.pg_server.rstrip("/") + "/postgres")
    return psycopg.connect(
        dbname="postgres",
        autocommit=True,
        host=server["HOST"] or None,
        port=server["PORT"] or None,
        user=server["USER"] or None,
        password=server["PASSWORD"] or None,
    )


def point_django_at_bench_db(args) -> None:
    from psycopg import sql

    with server_connection(args) as conn:
        if args.fresh or args.drop:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(PG_DB_NAME)))
        if args.drop:
            log(f"Dropped {PG_DB_NAME}.")
            sys.exit(0)
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB_NAME]).fetchone():
            log(f"Creating database {PG_DB_NAME}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(PG_DB_NAME)))
    os.environ["DATABASE_URL"] = args.pg_server.rstrip("/") + "/" + PG_DB_NAME


# --- Loading --------------------------------------------------------------------------


def copy_rows(cursor, table: str, columns: list[str], rows, chunk: int = 200_000) -> int:
    """COPY rows (tuples of already-escaped text) into a table, in chunks; returns the count."""
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(row))
            buffer.write("\n")
            n += 1
            if n % chunk == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return n


def without_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the secondary indexes of tables (faster COPY); returns their definitions to recreate."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT LIKE %s",
        [tables, "%_pkey"],
    )
    rows = cursor.fetchall()
    for name, _ in rows:
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _, definition in rows]


def load_data() -> bool:
    from django.core.management import call_command
    from django.db import connection, transaction

    from hoiccb.accounts.models import Role, User
    from hoiccb.activities.models import Activity, ActivityKind, Gift
    from hoiccb.lib.vietnamese import normalize_search
    from hoiccb.org.models import Unit, UnitKind
    from hoiccb.org.paths import encode_step

    call_command("migrate", verbosity=0, interactive=False)
    if Gift.objects.exists():
        return False
    rng = random.Random(2024)
    kinds = {k.code: k.pk for k in UnitKind.objects.all()}
    now = "2025-07-01 00:00:00+00"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE activities_gift, activities_activity, org_unit CASCADE")
        units = []  # (id, parent_id, path, kind code, name)
        next_id = iter(range(1, 10**7))
        root = (next(next_id), None, encode_step(1), "trung-uong", "Trung ương Hội CCB Việt Nam")
        units.append(root)
        for p in range(1, PROVINCES + 1):
            province = (next(next_id), root[0], root[2] + encode_step(p), "tinh", f"Hội CCB tỉnh {p:02d}")
            units.append(province)
            for b in range(1, UPPER_PER_PROVINCE + 1):
                upper = (
                    next(next_id),
                    province[0],
                    province[2] + encode_step(b),
                    "khoi",
                    f"Hội CCB khối {p:02d}-{b:02d}",
                )
                units.append(upper)
                for g in range(1, GRASSROOTS_PER_UPPER + 1):
                    units.append(
                        (
                            next(next_id),
                            upper[0],
                            upper[2] + encode_step(g),
                            "co-so",
                            f"Hội CCB cơ sở {p:02d}-{b:02d}-{g:02d}",
                        )
                    )
        columns = [
            "id",
            "parent_id",
            "path",
            "kind_id",
            "code",
            "name",
            "name_search",
            "host_organisation",
            "status",
            "address",
            "phone",
            "created_at",
            "updated_at",
        ]
        copy_rows(
            cursor,
            "org_unit",
            columns,
            (
                (
                    str(i),
                    str(parent) if parent else "\\N",
                    path,
                    str(kinds[kind]),
                    f"U{i}",
                    name,
                    normalize_search(name),
                    "",
                    "active",
                    "",
                    "",
                    now,
                    now,
                )
                for i, parent, path, kind, name in units
            ),
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('org_unit', 'id'), %s)", [len(units)])
        log(f"{len(units):,} units in {time.perf_counter() - started:.1f} s")

        # Every unit organises activities; grassroots ones most.
        weighted = [(u[0], u[2]) for u in units for _ in range(4 if u[3] == "co-so" else 1)]
        activity_kinds = list(ActivityKind.objects.values_list("pk", "code"))
        welfare_kind = next(pk for pk, code in activity_kinds if code == "an-sinh")
        other_kinds = [pk for pk, code in activity_kinds if code != "an-sinh"]
        sources = ["quy_hoi", "co_quan", "cap_tren", "xa_hoi_hoa", "hoi_vien"]
        occasions = [("tet", 35), ("27_7", 205), ("22_12", 355), ("6_12", 339)]
        welfare: list[tuple[int, int, str, datetime.date, str]] = []  # activity id, unit id, path, day, occasion

        def activities():
            for i in range(1, ACTIVITIES + 1):
                unit_id, path = weighted[rng.randrange(len(weighted))]
                if i % 5 == 0:  # a fifth are gift rounds, around their occasion
                    occasion, day_of_year = occasions[rng.randrange(len(occasions))]
                    year = 2024 if rng.random() < 0.6 or day_of_year > 180 else 2025
                    day = datetime.date(year, 1, 1) + datetime.timedelta(days=day_of_year - rng.randrange(10))
                    if day > datetime.date(2025, 6, 30):
                        day -= datetime.timedelta(days=365)
                    welfare.append((i, unit_id, path, day, occasion))
                    kind, occ, occ_year = welfare_kind, occasion, str(day.year)
                else:
                    day = PERIOD_START + datetime.timedelta(days=rng.randrange(DAYS))
                    kind, occ, occ_year = other_kinds[rng.randrange(len(other_kinds))], "", "\\N"
                cost = rng.choice([0, 0, 500_000, 1_000_000, 3_000_000, 12_000_000])
                yield (
                    str(i),
                    str(kind),
                    str(unit_id),
                    path,
                    f"Hoạt động {i}",
                    day.isoformat(),
                    "\\N",
                    "",
                    "",
                    str(rng.randrange(5, 120)),
                    str(cost),
                    rng.choice(sources) if cost else "",
                    occ,
                    occ_year,
                    "\\N",
                    now,
                    now,
                )

        dropped = without_indexes(cursor, ["activities_activity", "activities_gift"])
        n = copy_rows(
            cursor,
            "activities_activity",
            [
                "id",
                "kind_id",
                "unit_id",
                "unit_path",
                "title",
                "start_date",
                "end_date",
                "place",
                "content",
                "head_count",
                "cost",
                "funding_source",
                "occasion",
                "occasion_year",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            activities(),
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('activities_activity', 'id'), %s)", [n])
        log(f"{n:,} activities in {time.perf_counter() - started:.1f} s")

        circumstances = ["ho_ngheo", "can_ngheo", "chinh_sach", "thuong_binh", "kho_khan"]
        family_names = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Lò", "Hà"]

        keys: dict[tuple[str, str], str] = {}

        def key(name: str, address: str) -> str:
            if (name, address) not in keys:
                keys[name, address] = f"{normalize_search(name)}|{normalize_search(address)}"
            return keys[name, address]

        def gifts():
            per_round = GIFTS // len(welfare)
            extra = GIFTS - per_round * len(welfare)
            gid = 0
            for index, (activity_id, unit_id, path, day, occasion) in enumerate(welfare):
                for _ in range(per_round + (1 if index < extra else 0)):
                    gid += 1
                    # Beneficiaries drawn from a pool per province, so some families get two gifts.
                    family = rng.randrange(3000)
                    name = f"{family_names[family % 10]} Văn {family}"
                    address = f"Thôn {family % 40}, xã {path[4:8]}"
                    yield (
                        str(gid),
                        str(activity_id),
                        str(unit_id),
                        path,
                        occasion,
                        str(day.year),
                        day.isoformat(),
                        "\\N",
                        name,
                        address,
                        key(name, address),
                        circumstances[family % 5],
                        str(rng.choice([300_000, 500_000, 1_000_000])),
                        "tien" if family % 4 else "hien_vat",
                        "",
                        sources[family % 5],
                        "\\N",
                        now,
                    )

        n = copy_rows(
            cursor,
            "activities_gift",
            [
                "id",
                "activity_id",
                "unit_id",
                "unit_path",
                "occasion",
                "occasion_year",
                "given_on",
                "member_id",
                "beneficiary_name",
                "address",
                "match_key",
                "circumstance",
                "value",
                "form",
                "description",
                "funding_source",
                "created_by_id",
                "created_at",
            ],
            gifts(),
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('activities_gift', 'id'), %s)", [n])
        log(f"{n:,} gifts in {time.perf_counter() - started:.1f} s")
    # After the commit: the deferred foreign-key checks have run, so the tables can be indexed.
    with connection.cursor() as cursor:
        for definition in dropped:
            cursor.execute(definition)
    log(f"indexes rebuilt at {time.perf_counter() - started:.1f} s")
    bloc = Unit.objects.filter(kind__code="khoi").order_by("path").first()
    province = Unit.objects.filter(kind__code="tinh").order_by("path").first()
    root_unit = Unit.objects.get(parent=None)
    for username, unit, role in (
        ("khoi", bloc, Role.STANDING),
        ("tinh", province, Role.STANDING),
        ("admin", root_unit, Role.ADMIN),
    ):
        User.objects.update_or_create(username=username, defaults={"unit": unit, "role": role})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) activities_activity")
        cursor.execute("VACUUM (ANALYZE) activities_gift")
        cursor.execute("ANALYZE")
    log(f"loaded and analysed in {time.perf_counter() - started:.1f} s ({Activity.objects.count():,} activities)")
    return True


# --- Measuring ------------------------------------------------------------------------


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


def main() -> None:
    args = parse_args()
    point_django_at_bench_db(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count, Sum

    from hoiccb.accounts.models import User
    from hoiccb.activities import selectors
    from hoiccb.activities.models import Activity, Gift
    from hoiccb.activities.selectors import ActivityFilters

    load_data()
    if args.load_only:
        return
    settings.DEBUG = False
    users = {u.username: u for u in User.objects.select_related("unit").filter(username__in=["khoi", "tinh", "admin"])}
    province = users["tinh"].unit
    half = (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(
        f"# bench/activities.py · PostgreSQL · {Activity.objects.count():,} activities, "
        f"{Gift.objects.count():,} gifts, {users['admin'].unit.__class__.objects.count():,} units · commit {commit}"
    )

    def counts_real():
        return selectors.activity_counts(province, *half)

    def counts_naive():
        base = {"unit__path__startswith": province.path}
        acts = list(
            Activity.objects.filter(**base, start_date__range=half)
            .values("unit_id", "kind_id")
            .annotate(n=Count("id"), people=Sum("head_count"), cost=Sum("cost"))
        )
        gifts = list(
            Gift.objects.filter(**base, given_on__range=half).values("unit_id").annotate(n=Count("id"), v=Sum("value"))
        )
        return acts, gifts

    def list_real(user, pages=1):
        # Page N is what a user gets clicking "Cũ hơn" on page N-1: one call with that page's cursor.
        after = ""
        for _ in range(pages - 1):
            after = selectors.activity_page(user, ActivityFilters(), after=after, size=PAGE_SIZE).next_cursor

        def op():
            return selectors.activity_page(user, ActivityFilters(), after=after, size=PAGE_SIZE)

        return op

    def list_naive(user, pages=1):
        def op():
            qs = Activity.objects.filter(unit__path__startswith=user.unit.path).select_related("unit", "kind")
            qs = qs.order_by("-start_date", "-id")
            total = qs.count()
            offset = (pages - 1) * PAGE_SIZE
            return total, list(qs[offset : offset + PAGE_SIZE])

        return op

    from django.test import Client

    client = Client()
    client.force_login(users["khoi"])

    def list_view():
        response = client.get("/hoat-dong/")
        assert response.status_code == 200
        return response

    def gifts_real(user):
        filters = selectors.GiftFilters(occasion="tet", year=2024)
        return lambda: (selectors.gift_totals(user, filters), selectors.duplicate_gifts(user, filters))

    def gifts_naive(user):
        def op():
            qs = Gift.objects.filter(unit__path__startswith=user.unit.path, occasion="tet", occasion_year=2024)
            by_unit = list(qs.values("unit_id").annotate(n=Count("id"), v=Sum("value")))
            by_source = list(qs.values("funding_source").annotate(n=Count("id"), v=Sum("value")))
            clashes = list(qs.values("match_key").annotate(n=Count("id")).filter(n__gt=1))
            return by_unit, by_source, clashes

        return op

    figures = [
        ("counts province half-year", counts_real, counts_naive, "counts"),
        ("gifts bloc Tết 2024", gifts_real(users["khoi"]), gifts_naive(users["khoi"]), "counts"),
        ("gifts province Tết 2024", gifts_real(users["tinh"]), gifts_naive(users["tinh"]), "counts"),
        ("list bloc page 1 (HTTP)", list_view, list_naive(users["khoi"]), "list"),
        ("list bloc page 1", list_real(users["khoi"]), list_naive(users["khoi"]), "list"),
        ("list bloc page 20", list_real(users["khoi"], 20), list_naive(users["khoi"], 20), "list"),
        ("list province page 1", list_real(users["tinh"]), list_naive(users["tinh"]), "list"),
        ("list national page 1", list_real(users["admin"]), list_naive(users["admin"]), "list"),
    ]
    if args.explain:
        from django.test.utils import CaptureQueriesContext

        for label, real, _, _ in figures[:3]:
            with CaptureQueriesContext(connection) as captured:
                real()
            print(f"## {label}")
            for query in captured.captured_queries[:4]:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    print(query["sql"][:300])
                    print("\n".join(row[0] for row in cursor.fetchall()))
        return
    result = counts_real()
    print(
        f"# province {province.name}: {len(result)} units with activity in 1/2024–6/2024, "
        f"{sum(c.activities for c in result.values()):,} activities, {sum(c.gifts for c in result.values()):,} gifts"
    )
    for label, real, naive, target in figures:
        if args.only and args.only not in label:
            continue
        r50, r95 = p50_p95(measure(real, args.repeat, args.warmup))
        b50, b95 = p50_p95(measure(naive, args.baseline_repeat, 1))
        mark = "ok" if r95 <= TARGETS_MS[target] else f"MISS (target p95 ≤ {TARGETS_MS[target]:.0f} ms)"
        print(
            f"{label:<27} p50 {r50:8.1f} ms  p95 {r95:8.1f} ms | baseline p50 {b50:9.1f} ms p95 {b95:9.1f} ms "
            f"| ×{b50 / r50:7.1f} | {mark}",
            flush=True,
        )


if __name__ == "__main__":
    main()
