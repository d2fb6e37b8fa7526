"""The national-scale data of bench/activities.py: its PostgreSQL database, and the units,
activities and gifts loaded into it with COPY (built on the first run and reused).
"""

import datetime
import io
import os
import random
import sys
import time

PG_DB_NAME = "hoiccb_bench_act"
PROVINCES = 63
UPPER_PER_PROVINCE = 10
GRASSROOTS_PER_UPPER = 26
ACTIVITIES = 2_000_000
GIFTS = 5_000_000
PERIOD_START = datetime.date(2024, 1, 1)
DAYS = 547  # 1 Jan 2024 – 30 Jun 2025


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
            "place",
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
