#!/usr/bin/env python
"""Benchmark member care: dues as a list, a card sheet in the background, celebration lists.

    DEBUG=1 .venv/bin/python bench/care.py --db sqlite                       # 200,000 members
    DEBUG=1 .venv/bin/python bench/care.py --db postgres --members 1000000   # database hoiccb_bench_care

Data (built on the first run and reused): the demo bloc (seed_demo) topped up to
--members members over its units, and a benchmark province of its own with 20
associations and exactly 50,000 members. Figures, each beside a baseline measured in the
same run:

- `dues list 50,000`: `finance.services.dues_pay_many` for the whole benchmark province
  (who owes, receipt numbers per unit, 50,000 payments as plain rows through
  `lib.bulk.insert_rows`, one audit row per unit) vs. Django's `bulk_create` of the same
  50,000 prepared model instances (how the service wrote them until Dec 2026); each run
  is rolled back.
- `cards 1,000 PDF`: the background job (`members.cards.jobs.run`: batches of 80 cards,
  progress to the cache, the PDF stored) vs. the same cards in one WeasyPrint pass. The
  1,000 members get a distinct 360 × 480 JPEG photo each on the first run, as printed
  cards have.
- `celebrations national <list>`: the screen's read (`celebrations.selectors.listing`, first
  501 rows and their milestones) over every member vs. the same filter joined through
  `Unit.path LIKE ''%'` (no path copy on the rows).

Figures are timed with DEBUG off even when the command runs with DEBUG=1: with DEBUG on,
Django keeps every query's SQL text (`connection.queries`), which a production server
never does and which would be timed too.

Targets (issue 19): dues list < 2 s, 1,000 cards < 60 s, celebration lists < 3 s on PostgreSQL.
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

PG_DB_NAME = "hoiccb_bench_care"
DEFAULTS = {"sqlite": 200_000, "postgres": 1_000_000}
PROVINCE_MEMBERS = 50_000
TOP_UP_CHUNK = 250_000
YEAR = 2025


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--members", type=int, help="members of the demo tree (default 200,000 / 1,000,000)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-care.sqlite3"))
    parser.add_argument("--pg-server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--pg-db", default=PG_DB_NAME, help="PostgreSQL database name (one per engineer)")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--only", default="", help="run only figures whose label contains this text")
    args = parser.parse_args()
    args.members = args.members or DEFAULTS[args.db]
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def point_django_at_bench_db(args) -> None:
    if args.db == "sqlite":
        path = Path(args.sqlite_path).resolve()
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
    connect = {"host": server["HOST"] or None, "port": server["PORT"] or None, "user": server["USER"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **connect) as conn:
        if args.fresh:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(args.pg_db)))
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.pg_db]).fetchone():
            log(f"Creating database {args.pg_db}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.pg_db)))
    os.environ["DATABASE_URL"] = args.pg_server.rstrip("/") + "/" + args.pg_db


def load_data(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from hoiccb.demo.members import generate_members
    from hoiccb.finance.models import DuesRate, DuesShare
    from hoiccb.members.bulk import bulk_insert_members
    from hoiccb.members.models import Member
    from hoiccb.org import services as org_services
    from hoiccb.org.models import Unit, UnitKind

    call_command("migrate", verbosity=0, interactive=False)
    if not Unit.objects.exists():
        log("Seeding the demo bloc…")
        call_command("seed_demo", allow_production=True, stdout=sys.stderr)
    count = Member.objects.count()
    while count < args.members:
        chunk = min(args.members - count, TOP_UP_CHUNK)
        log(f"Adding {chunk:,} members ({count:,} → {count + chunk:,})…")
        call_command("seed_demo", members=chunk, allow_production=True, stdout=sys.stderr)
        count = Member.objects.count()
    if not Unit.objects.filter(code="BENCH").exists():
        log(f"Building the benchmark province with {PROVINCE_MEMBERS:,} members…")
        kinds = {k.code: k for k in UnitKind.objects.all()}
        province = org_services.unit_create(
            actor=None, parent=None, kind=kinds["tinh"], code="BENCH", name="Hội CCB tỉnh đo"
        )
        leaves = [
            org_services.unit_create(
                actor=None, parent=province, kind=kinds["co-so"], code=f"BENCH{i:02d}", name=f"Hội CCB cơ sở đo {i}"
            )
            for i in range(1, 21)
        ]
        start = (Member.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        bulk_insert_members(
            generate_members(leaves, PROVINCE_MEMBERS, seed=start, card_prefix="BC", start_number=start),
            full_records=False,
        )
    DuesRate.objects.update_or_create(from_year=2020, defaults={"amount": 24_000, "exempt_from_age": None})
    DuesShare.objects.update_or_create(kind=UnitKind.objects.get(code="tinh"), defaults={"basis_points": 1000})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def line(label: str, real: list[float], base: list[float], target_s: float, note: str = "") -> str:
    r, b = statistics.median(real), statistics.median(base)
    mark = "ok" if r <= target_s else f"MISS (target {target_s:g} s)"
    return f"{label:<34} {r:8.2f} s | baseline {b:8.2f} s | ×{b / r:5.2f} | {mark} {note}"


class Rollback(Exception):
    pass


def in_rollback(fn):
    from django.db import transaction

    def run():
        try:
            with transaction.atomic():
                fn()
                raise Rollback
        except Rollback:
            pass

    return run


def _give_photos(members) -> None:
    """A distinct 3×4 JPEG for each chosen member who has none, the size a real card photo has."""
    import io

    from PIL import Image, ImageDraw

    from hoiccb.members.cards.models import MemberPhoto
    from hoiccb.members.cards.photos import SIZE

    missing = [m for m in members if not MemberPhoto.objects.filter(member=m).exists()]
    photos = []
    for i, member in enumerate(missing):
        image = Image.effect_noise(SIZE, 40).convert("RGB")  # noise: a JPEG as heavy as a real face
        draw = ImageDraw.Draw(image)
        draw.ellipse((110, 80, 250, 260), fill=(200 + i % 40, 160, 130))
        draw.rectangle((60, 300, 300, 480), fill=(40, 70 + i % 60, 40))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=88, optimize=True)
        photos.append(MemberPhoto(member=member, image=out.getvalue(), width=SIZE[0], height=SIZE[1]))
    MemberPhoto.objects.bulk_create(photos, batch_size=200)


def figures(args) -> list[str]:
    from django.db import connection

    from hoiccb.accounts.models import User
    from hoiccb.finance import dues, services
    from hoiccb.finance.models import DuesPayment
    from hoiccb.members.cards import jobs, sheet
    from hoiccb.members.cards import services as card_services
    from hoiccb.members.cards.models import CardJob
    from hoiccb.members.celebrations import selectors as celebrations
    from hoiccb.members.models import Member, MemberStatus
    from hoiccb.org.models import Unit

    out = []
    province = Unit.objects.get(code="BENCH")
    admin, _ = User.objects.get_or_create(
        username="bench-care", defaults={"unit": province, "role": "admin", "full_name": "Đo tốc độ"}
    )
    province_members = Member.objects.filter(unit_path__startswith=province.path, status=MemberStatus.ACTIVE)
    log(f"{Member.objects.count():,} members in all; {province_members.count():,} active in the benchmark province")

    if "dues" in args.only or not args.only:
        rate = dues.rate_for(YEAR)

        def real():
            services.dues_pay_many(
                actor=admin,
                unit=province,
                year=YEAR,
                member_ids=None,
                paid_on=datetime.date(YEAR, 3, 1),
                collected_by="Thủ quỹ",
            )
            assert DuesPayment.objects.filter(year=YEAR, unit_path__startswith=province.path).count() >= 45_000

        def baseline():
            rows = province_members.filter(dues.due_q(rate, YEAR)).values_list("pk", "unit_id", "unit_path")
            DuesPayment.objects.bulk_create(
                [
                    DuesPayment(
                        member_id=pk,
                        unit_id=u,
                        unit_path=p,
                        year=YEAR,
                        amount=24_000,
                        paid_on=datetime.date(YEAR, 3, 1),
                        collected_by="x",
                        receipt_no=i,
                        payer_name="x",
                    )
                    for i, (pk, u, p) in enumerate(rows, start=1)
                ],
                batch_size=2000,
            )

        cpu_started = time.process_time()
        real_s = [timed(in_rollback(real)) for _ in range(args.repeat)]
        # CPU seconds of this process per run: on a loaded machine the wall time mostly waits
        # for a core; on SQLite this includes the database's own work, on PostgreSQL not.
        cpu = (time.process_time() - cpu_started) / args.repeat
        base_s = [timed(in_rollback(baseline)) for _ in range(args.repeat)]
        out.append(line("dues list 50,000", real_s, base_s, 2.0, f"({connection.vendor}, CPU {cpu:.2f} s/run)"))

    if "cards" in args.only or not args.only:
        chosen = list(province_members.select_related("unit").order_by("id")[:1000])
        card_services.cards_number_missing(actor=admin, unit=province, members=chosen, issued_on=datetime.date.today())
        _give_photos(chosen)
        chosen = list(
            Member.objects.filter(pk__in=[m.pk for m in chosen]).select_related("unit", "photo").order_by("id")
        )

        def real():
            job = CardJob.objects.create(
                unit=province, member_ids=[m.pk for m in chosen], total=len(chosen), base_url="https://hoiccb.vn/"
            )
            jobs.run(job.pk)
            job.refresh_from_db()
            assert job.state == "done", job.message
            job.file.delete(save=False)
            job.delete()

        def baseline():
            sheet.document(chosen, "https://hoiccb.vn/").write_pdf()

        reps = max(1, min(args.repeat, 2))
        out.append(
            line("cards 1,000 PDF", [timed(real) for _ in range(reps)], [timed(baseline) for _ in range(reps)], 60.0)
        )

    if "celebrations" in args.only or not args.only:
        for kind in celebrations.ListKind:

            def real(kind=kind):
                rows = celebrations.listing(kind, "", YEAR, 3)[: celebrations.SCREEN_CAP + 1]
                return [celebrations.milestone(kind, m, YEAR) for m in rows]

            def baseline(kind=kind):
                qs = celebrations.listing(kind, "", YEAR, 3).filter(unit__path__startswith="")
                return [celebrations.milestone(kind, m, YEAR) for m in qs[: celebrations.SCREEN_CAP + 1]]

            real()
            out.append(
                line(
                    f"celebrations national {kind.value}",
                    [timed(real) for _ in range(args.repeat)],
                    [timed(baseline) for _ in range(args.repeat)],
                    3.0,
                )
            )
    return out


def main() -> None:
    args = parse_args()
    point_django_at_bench_db(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")
    import django

    django.setup()
    load_data(args)
    if args.load_only:
        return
    from django.test.utils import override_settings

    # DEBUG=1 makes every connection keep each query's SQL (connection.queries), which a
    # server in production never does: 50,000 rows of SQL text would be timed as well.
    with override_settings(DEBUG=False):
        for text in figures(args):
            print(text, flush=True)


if __name__ == "__main__":
    main()
