#!/usr/bin/env python
"""Benchmark the home page's "Việc cần làm" (hoiccb/lib/inbox.py and each app's inbox.py).

    DEBUG=1 .venv/bin/python bench/inbox.py [--repeat 200] [--units 300]
    DEBUG=1 .venv/bin/python bench/inbox.py --db postgres --pg-db hoiccb_bench   # the 3,000,000 members

Builds var/bench_inbox.sqlite3 with seed_demo (the demo bloc: ~3,000 members), or, with
--db postgres, reuses the national database bench/members.py built (3,000,000 members; the
changes below are rolled back, so it stays as it was). Then widens it to `--units`
grassroots associations under the bloc and opens a report period whose deadline has passed,
so every one of them is late. Prints, for the bloc's officer (khoi), a chair (coso1) and the
centre (admin): p50/p95 of `inbox.collect`, its query count, and in the same run the baseline
"one query per unit" a naive inbox would run (each child unit's report looked up on its own).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_MS = 100.0


from members import add_before_without, measure, measure_without  # noqa: E402 - bench/members.py, beside this file


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument(
        "--national",
        type=int,
        default=60,
        help="PostgreSQL: upper-level units added under the centre, each with 280 associations, "
        "12 past report periods and 24 directives of the centre (default 60: ≈ 17,000 units)",
    )
    add_before_without(parser)
    parser.add_argument("--profile", action="store_true", help="cProfile 20 inboxes of each user (stderr)")
    parser.add_argument("--queries", action="store_true", help="print each user's queries, slowest first")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--pg-db", default="hoiccb_bench", help="a database built by bench/members.py --db postgres")
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")
    if args.db == "postgres":
        os.environ["DATABASE_URL"] = args.pg_server.rstrip("/") + "/" + args.pg_db
    import django

    from hoiccb import settings as project_settings

    if args.db == "sqlite":
        path = ROOT / "var" / "bench_inbox.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        project_settings.DATABASES["default"]["NAME"] = str(path)
    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    if args.db == "sqlite":
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
    if args.db == "postgres" and args.national:
        national_load(args.national)
    # The widening is rolled back: the bloc's 300 units and the late period are the bench's own.
    with transaction.atomic():
        run(args)
        transaction.set_rollback(True)


def run(args) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hoiccb.accounts.models import User
    from hoiccb.lib import inbox
    from hoiccb.org import services as org_services
    from hoiccb.org.models import Unit, UnitKind
    from hoiccb.reports import services as report_services
    from hoiccb.reports.models import UnitReport

    khoi = User.objects.get(username="khoi")
    coso1 = User.objects.get(username="coso1")
    admin = User.objects.get(username="admin")
    users = [khoi, coso1, admin, *User.objects.filter(username="cum")]
    bloc = khoi.unit
    grassroots = UnitKind.objects.get(code="co-so")
    have = Unit.objects.filter(parent=bloc).count()
    for i in range(max(0, args.units - have)):
        org_services.unit_create(actor=None, parent=bloc, kind=grassroots, code=f"BI{i}", name=f"Hội CCB đơn vị {i}")
    today = datetime.date.today()
    period = report_services.period_create(
        actor=khoi,
        kind="other",
        name="Kỳ đo",
        start=today - datetime.timedelta(days=60),
        end=today - datetime.timedelta(days=10),
        title="Kỳ đo",
        deadline=today - datetime.timedelta(days=1),
        level_deadlines={},
    )
    children = list(Unit.objects.filter(parent=bloc))
    from hoiccb.members.models import Member

    print(f"# load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"# {connection.vendor}, {Member.objects.count():,} members, {Unit.objects.count():,} units; "
        f"bloc with {len(children)} units below it, {User.objects.count()} logins"
    )

    def naive() -> int:
        # One query per child: what an inbox built by looping over units would cost.
        return sum(
            1 for c in children if not UnitReport.objects.filter(period=period, unit=c, state="submitted").exists()
        )

    from django.conf import settings

    settings.DEBUG = False  # no query log kept during the timing
    for user in users:
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            lines = inbox.collect(user)
        if args.queries:
            for query in sorted(ctx.captured_queries, key=lambda q: -float(q["time"])):
                print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
                if connection.vendor == "postgresql" and float(query["time"]) > 0.005:
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                        print("\n".join("      " + row[0] for row in cursor.fetchall()))
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(lambda u=user: [inbox.collect(u) for _ in range(20)])
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        samples = measure(lambda u=user: inbox.collect(u), args.repeat, 3)
        before = ""
        if args.before_without:
            old = measure_without(args.before_without, lambda u=user: inbox.collect(u), args.repeat, 3)
            before = f"before p50 {statistics.median(old):.1f} ms, p95 {p95(old):.1f} ms | "
        base = measure(naive, max(10, args.repeat // 10), 3)
        mark = "ok" if p95(samples) <= TARGET_MS else "MISS"
        print(
            f"inbox {user.username}: p50 {statistics.median(samples):.1f} ms, p95 {p95(samples):.1f} ms | {before}"
            f"{len(ctx.captured_queries)} queries, {sum(len(v) for _, v in lines)} lines | "
            f"naive per-unit loop p50 {statistics.median(base):.1f} ms ({len(children)} queries), "
            f"ratio {statistics.median(base) / statistics.median(samples):.1f}× [{mark} ≤ {TARGET_MS:.0f} ms]"
        )


GRASSROOTS_PER_UPPER = 280
PAST_PERIODS = 12
CENTRE_DIRECTIVES = 24


def national_load(uppers: int) -> None:
    """Add, once, a national-size tree and its history under the centre (one SQL statement per table).

    `uppers` upper-level units under the centre, each with GRASSROOTS_PER_UPPER associations;
    PAST_PERIODS periods in which every association reported (1 in 30 still waiting for
    review, 1 in 100 returned); CENTRE_DIRECTIVES directives of the centre to every unit
    (1 in 20 not confirmed); the login "cum", officer of the first upper-level unit. Kept in
    the database (bench/members.py ignores units without members), then vacuumed as a live
    database would be, so the figures see what production sees.
    """
    from django.db import connection, transaction

    from hoiccb.accounts.models import Role, User
    from hoiccb.org.models import Unit
    from hoiccb.org.paths import encode_step

    if User.objects.filter(username="cum").exists():
        return
    started = time.perf_counter()
    root = User.objects.get(username="admin").unit
    first_step = 1 + max(int(p[-4:], 36) for p in Unit.objects.filter(parent=root).values_list("path", flat=True))
    upper_paths = [root.path + encode_step(first_step + i) for i in range(uppers)]
    leaf_paths = [p + encode_step(j + 1) for p in upper_paths for j in range(GRASSROOTS_PER_UPPER)]
    insert_units = """
        INSERT INTO org_unit (path, code, name, name_search, host_organisation, status, address, phone, place,
                              created_at, updated_at, parent_id, kind_id)
        SELECT p, 'NB' || p, 'Hội CCB ' || p, 'hoi ccb ' || lower(p), '', 'active', '', '', '', now(), now(),
               (SELECT id FROM org_unit WHERE path = left(p, length(p) - 4)),
               (SELECT id FROM org_unitkind WHERE code = %s)
        FROM unnest(%s::text[]) AS p
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(insert_units, ["khoi", upper_paths])
        cursor.execute(insert_units, ["co-so", leaf_paths])
        cursor.execute(
            """INSERT INTO reports_period (kind, name, start, "end", title, deadline, created_at)
               SELECT 'other', 'Kỳ cũ ' || i, current_date - 90 * i - 120, current_date - 90 * i - 30,
                      'Kỳ cũ', current_date - 90 * i - 20, now()
               FROM generate_series(1, %s) AS i""",
            [PAST_PERIODS],
        )
        cursor.execute(
            """INSERT INTO reports_unitreport (unit_path, state, is_rollup, number, place, signer, computed, edited,
                   missing_units, building, propaganda, movement, welfare, inspection, shortcomings, plan,
                   return_comment, submitted_at, version, updated_at, period_id, unit_id)
               SELECT u.path, CASE WHEN u.id %% 30 = 0 THEN 'submitted' WHEN u.id %% 100 = 1 THEN 'returned'
                                   ELSE 'accepted' END,
                      false, '', '', '', '{}', '{}', '[]', '', '', '', '', '', '', '',
                      CASE WHEN u.id %% 100 = 1 THEN 'Thiếu số liệu' ELSE '' END, now(), 1, now(), p.id, u.id
               FROM org_unit u CROSS JOIN reports_period p
               WHERE u.path = ANY(%s) AND p.name LIKE 'Kỳ cũ %%'""",
            [leaf_paths],
        )
        cursor.execute(
            """INSERT INTO news_directive (kind, number, issued_on, summary, file, file_name, file_size,
                   content_type, created_at, issuing_unit_id, recipient_root_id)
               SELECT 'chi-dao', i || '/CĐ', current_date - i, 'Văn bản đo ' || i, '', '', 0, '', now(), %s, %s
               FROM generate_series(1, %s) AS i""",
            [root.pk, root.pk, CENTRE_DIRECTIVES],
        )
        cursor.execute(
            """INSERT INTO news_directivereceipt (state, opened_at, confirmed_at, reminder_count, directive_id, unit_id)
               SELECT s, CASE WHEN s = 'confirmed' THEN now() END, CASE WHEN s = 'confirmed' THEN now() END,
                      0, directive_id, unit_id
               FROM (SELECT u.id AS unit_id, d.id AS directive_id,
                            CASE WHEN (u.id + d.id) %% 20 = 0 THEN 'unread' ELSE 'confirmed' END AS s
                     FROM org_unit u CROSS JOIN news_directive d
                     WHERE u.path LIKE %s AND u.id <> %s AND d.summary LIKE 'Văn bản đo %%') AS r""",
            [root.path + "%", root.pk],
        )
        User.objects.create_user(
            username="cum", password="hoiccb-demo", unit=Unit.objects.get(path=upper_paths[0]), role=Role.STANDING
        )
    with connection.cursor() as cursor:
        for table in ("org_unit", "reports_period", "reports_unitreport", "news_directive", "news_directivereceipt"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    log = f"{Unit.objects.count():,} units, {PAST_PERIODS} past periods, {CENTRE_DIRECTIVES} directives of the centre"
    print(f"# national load ({log}) in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
