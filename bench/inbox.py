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


def measure(fn, repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--units", type=int, default=300)
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
    # The widening is rolled back: the national PostgreSQL data stays as bench/members.py built it.
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
    for user in (khoi, coso1, admin):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            lines = inbox.collect(user)
        if args.queries:
            for query in sorted(ctx.captured_queries, key=lambda q: -float(q["time"])):
                print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        samples = measure(lambda u=user: inbox.collect(u), args.repeat)
        base = measure(naive, max(10, args.repeat // 10))
        mark = "ok" if p95(samples) <= TARGET_MS else "MISS"
        print(
            f"inbox {user.username}: p50 {statistics.median(samples):.1f} ms, p95 {p95(samples):.1f} ms, "
            f"{len(ctx.captured_queries)} queries, {sum(len(v) for _, v in lines)} lines | "
            f"naive per-unit loop p50 {statistics.median(base):.1f} ms ({len(children)} queries), "
            f"ratio {statistics.median(base) / statistics.median(samples):.1f}× [{mark} ≤ {TARGET_MS:.0f} ms]"
        )


if __name__ == "__main__":
    main()
