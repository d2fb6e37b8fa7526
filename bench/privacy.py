#!/usr/bin/env python
"""Cost of the sensitive-data access log on the largest reads it records.

    DEBUG=1 .venv/bin/python bench/privacy.py --members 100000
    DEBUG=1 .venv/bin/python bench/privacy.py --db postgres --members 100000

Times, in the same run: the member export without sensitive columns (not logged, the
baseline) against the export with the CCCD column (one log row plus one index line per
member); the logging alone; and "who saw member X" once the log holds --exports such
exports. Uses the benchmark database of bench/members.py (built or topped up here).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.members import load_data, point_django_at_bench_db  # noqa: E402


def timed(run, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--exports", type=int, default=20, help="full exports in the log before the lookup")
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench.sqlite3"))
    parser.add_argument("--pg-server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    point_django_at_bench_db(args)

    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")
    django.setup()
    from hoiccb.accounts.models import User
    from hoiccb.members.exporting import export_members
    from hoiccb.members.models import Member, SensitiveAccess
    from hoiccb.members.privacy.access_log import access_record
    from hoiccb.members.privacy.models import SensitiveAccessMember
    from hoiccb.members.privacy.selectors import member_accesses
    from hoiccb.members.selectors import MemberFilters

    load_data(args.members)
    user = User.objects.get(username="admin")
    filters = MemberFilters(status="")
    n = Member.objects.count()

    def plain():
        output, _count = export_members(user, filters, ["full_name", "birth_date", "unit"])
        output.close()

    def with_cccd():
        seen: list[int] = []
        output, count = export_members(user, filters, ["full_name", "birth_date", "unit", "cccd"], seen=seen)
        access_record(actor=user, purpose="bench", member_ids=seen, count=count, unit_path=user.unit.path)
        output.close()

    ids = list(Member.objects.values_list("id", flat=True))

    def log_only():
        access_record(actor=user, purpose="bench", member_ids=ids, unit_path=user.unit.path)

    try:
        base = timed(plain, args.repeat)
        logged = timed(with_cccd, args.repeat)
        alone = timed(log_only, args.repeat)
        while SensitiveAccess.objects.filter(summary="bench").count() < args.exports:
            log_only()
        target = ids[len(ids) // 2]
        lookup = timed(lambda: list(member_accesses(target)), 30)
        p50 = statistics.median
        print(f"members: {n:,} ({args.db})")
        print(f"export, no sensitive column (not logged): p50 {p50(base):.0f} ms")
        print(f"export with CCCD, logged: p50 {p50(logged):.0f} ms (x{p50(logged) / p50(base):.2f} of the baseline)")
        print(f"logging one read of {n:,} members alone: p50 {p50(alone):.0f} ms")
        rows = SensitiveAccessMember.objects.count()
        found = len(list(member_accesses(target)))
        print(f"who saw member X ({found} reads, {rows:,} index lines): p50 {p50(lookup):.2f} ms")
    finally:
        # The index lines first, in one statement (a cascade would load them all).
        SensitiveAccessMember.objects.filter(access__summary="bench").delete()
        SensitiveAccess.objects.filter(summary="bench").delete()


if __name__ == "__main__":
    main()
