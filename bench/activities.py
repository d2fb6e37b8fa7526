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
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from activities_data import load_data, point_django_at_bench_db  # noqa: E402 - bench/activities_data.py, beside this file
from members import measure, p50_p95  # noqa: E402 - bench/members.py, beside this file

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
