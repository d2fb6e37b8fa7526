#!/usr/bin/env python
"""Time the check-in search and the "my tasks" page at demo scale, beside naive baselines.

    DEBUG=1 .venv/bin/python bench/meetings.py            # builds var/bench_meetings.sqlite3 once
    DEBUG=1 .venv/bin/python bench/meetings.py --fresh

The data: the demo bloc (seed_demo: ~3,000 members, 60-odd units) plus a conference where
every grassroots association names all its places (--delegates, default 1,000) with 60 guests,
and --meetings (default 40) more meetings of 50 tasks each spread over the committee. The
issue names no speed target; the figures are measured through Django's test client (the whole
request: middleware, session, template), p50/p95 over --repeat runs.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--delegates", type=int, default=1000)
    parser.add_argument("--meetings", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench_meetings.sqlite3"))
    return parser.parse_args()


def timed(fn, repeat: int) -> tuple[float, float]:
    for _ in range(3):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def build(args) -> None:
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from hoiccb.accounts.models import User
    from hoiccb.meetings import places as meeting_places
    from hoiccb.meetings import services
    from hoiccb.meetings.models import Allotment, Delegate, Task
    from hoiccb.members.models import Member, MemberStatus
    from hoiccb.org.models import Unit

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    khoi = User.objects.get(username="khoi")
    committee = [*list(User.objects.filter(username__startswith="uyvien")), khoi]
    bloc = khoi.unit
    units = list(Unit.objects.filter(parent=bloc).order_by("name"))
    conference = services.meeting_create(
        actor=khoi, unit=bloc, kind="dai_hoi", title="Đại hội đại biểu (đo tốc độ)", starts_at=timezone.now()
    )
    counts = meeting_places.member_counts(units)
    places = meeting_places.proportional_places(counts, args.delegates, 1)
    allotments = meeting_places.allot(actor=khoi, meeting=conference, places=places, members=counts)
    rows = []
    for allotment in allotments:
        for member in Member.objects.filter(
            status=MemberStatus.ACTIVE, unit_path__startswith=allotment.unit.path
        ).order_by("id")[: allotment.places]:
            delegate = Delegate(allotment=allotment, meeting=conference, member=member)
            delegate.allotment = Allotment(pk=allotment.pk, unit=allotment.unit)
            delegate.full_name = member.full_name
            from hoiccb.lib.vietnamese import normalize_search

            delegate.search_text = normalize_search(f"{member.full_name} {allotment.unit.name}")
            rows.append(delegate)
    Delegate.objects.bulk_create(rows, batch_size=500)
    for n in range(60):
        meeting_places.guest_add(actor=khoi, meeting=conference, name=f"Khách mời số {n}", organisation="Sở, ngành")
    rng = random.Random(7)
    tasks = []
    for m in range(args.meetings):
        meeting = services.meeting_create(
            actor=khoi, unit=bloc, kind="bch", title=f"Hội nghị BCH số {m}", starts_at=timezone.now()
        )
        for t in range(50):
            tasks.append(
                Task(
                    meeting=meeting,
                    unit_path=meeting.unit_path,
                    title=f"Việc {m}-{t}",
                    assignee=rng.choice(committee),
                    deadline=datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(900)),
                    status=rng.choice(["todo", "doing", "done", "blocked"]),
                )
            )
    Task.objects.bulk_create(tasks, batch_size=500)


def main() -> None:
    args = parse_args()
    os.environ["DATABASE_URL"] = f"sqlite:///{args.sqlite_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")
    if args.fresh and Path(args.sqlite_path).exists():
        Path(args.sqlite_path).unlink()
    fresh = not Path(args.sqlite_path).exists()
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    if fresh:
        started = time.monotonic()
        build(args)
        print(f"built in {time.monotonic() - started:.0f} s", file=sys.stderr)
    from django.test import Client

    from hoiccb.accounts.models import User
    from hoiccb.lib.vietnamese import normalize_search
    from hoiccb.meetings.models import Delegate, Meeting, Task

    conference = Meeting.objects.get(kind="dai_hoi")
    khoi, uyvien = User.objects.get(username="khoi"), User.objects.get(username="uyvien1")
    names = list(conference.delegates.values_list("full_name", flat=True))
    rng = random.Random(1)
    queries = [normalize_search(" ".join(rng.choice(names).split()[-2:])) for _ in range(20)]
    client = Client()
    client.force_login(khoi)
    url = f"/hoi-nghi/{conference.pk}/diem-danh/"
    it = iter(range(10**9))

    def real_search():
        q = queries[next(it) % len(queries)]
        response = client.get(url, {"q": q}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200

    def naive_search():
        # Load every delegate with its unit and normalise each name per request, then render the matches.
        q = normalize_search(queries[next(it) % len(queries)])
        found = [
            d
            for d in Delegate.objects.filter(meeting=conference).select_related("allotment__unit")
            if all(w in normalize_search(f"{d.full_name} {d.allotment.unit.name}") for w in q.split())
        ]
        from django.template.loader import render_to_string

        render_to_string("meetings/_checkin_rows.html", {"delegates": found[:30], "guests": [], "meeting": conference})

    member = Client()
    member.force_login(uyvien)

    def real_my_tasks():
        assert member.get("/hoi-nghi/viec-cua-toi/").status_code == 200

    def naive_my_tasks():
        # Every task, then the helper list and the meeting of each one (N+1), filtered in Python.
        mine = [t for t in Task.objects.all() if t.assignee_id == uyvien.pk or uyvien in t.helpers.all()]
        for t in mine:
            _ = t.meeting.title

    print(
        f"data: {conference.delegates.count()} delegates, {Task.objects.count()} tasks, "
        f"{Task.objects.filter(assignee=uyvien).count()} of them uyvien1's"
    )
    print(f"{'figure':34} {'p50 ms':>8} {'p95 ms':>8}   {'naive p50':>9} {'naive p95':>9}  ratio p95")
    for label, real, naive in (
        ("check-in search (htmx fragment)", real_search, naive_search),
        ("my tasks page (uyvien1)", real_my_tasks, naive_my_tasks),
    ):
        p50, p95 = timed(real, args.repeat)
        n50, n95 = timed(naive, max(5, args.repeat // 5))
        print(f"{label:34} {p50:8.1f} {p95:8.1f}   {n50:9.1f} {n95:9.1f}  {n95 / p95:8.1f}×")


if __name__ == "__main__":
    main()
