"""Build the demo bloc, or generate many members for benchmarks.

manage.py seed_demo                 # the demo bloc, ~3,000 members, demo logins
manage.py seed_demo --members N     # N more members spread over the existing units
"""

import datetime
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hoiccb.accounts.models import Role, User
from hoiccb.demo import activities as activities_demo
from hoiccb.demo import awards as awards_demo
from hoiccb.demo import care as care_demo
from hoiccb.demo import congress as congress_demo
from hoiccb.demo import meetings as meetings_demo
from hoiccb.demo import news as news_demo
from hoiccb.demo import org as demo
from hoiccb.demo import reports as reports_demo
from hoiccb.demo import round_finished as round_finished_demo
from hoiccb.lib.dates import PartialDate
from hoiccb.members.bulk import bulk_insert_members
from hoiccb.members.models import Member, MemberStatus, Theatre
from hoiccb.members.services import member_admit
from hoiccb.org.models import OfficerPosition, PositionRole, Term, Unit

DEMO_USERS = [
    # username, full name, role, which unit (see _demo_units), superuser
    ("admin", "Lê Minh Quang", Role.ADMIN, "province", True),
    ("khoi", "Hoàng Văn Bình", Role.STANDING, "bloc", False),
    ("coso1", "Nguyễn Văn Thắng", Role.OFFICER, "coso1", False),
    ("coso2", "Trần Đức Long", Role.OFFICER, "coso2", False),
]


def _member_generator():
    """Return demo.members.generate_members; its name pools come from Faker, a demo-group dependency."""
    try:
        from hoiccb.demo.members import generate_members
    except ModuleNotFoundError as exc:
        raise CommandError(
            "Chưa cài nhóm phụ thuộc “demo” (Faker) để sinh dữ liệu mẫu: chạy `uv sync --group demo`."
        ) from exc
    return generate_members


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (không dùng cho hệ thống thật)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--members", type=int, default=0, help="Sinh thêm N hội viên vào các đơn vị hiện có (cho đo tốc độ)."
        )
        parser.add_argument("--if-empty", action="store_true", help="Chỉ tạo khi cơ sở dữ liệu chưa có đơn vị nào.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Cho phép chạy khi DEBUG tắt (chỉ dùng cho kiểm thử, đo tốc độ).",
        )

    def handle(self, *args, members: int, if_empty: bool, allow_production: bool, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Không tạo dữ liệu mẫu trên hệ thống thật (DEBUG đang tắt).")
        if members:
            self._more_members(members)
            return
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("Đã có dữ liệu, bỏ qua tạo dữ liệu mẫu.")
                return
            raise CommandError("Cơ sở dữ liệu đã có đơn vị; dữ liệu mẫu chỉ tạo trên cơ sở dữ liệu trống.")
        started = time.monotonic()
        with transaction.atomic():
            self._build_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {Unit.objects.count()} đơn vị, {Member.objects.count()} hội viên, "
                f"{len(DEMO_USERS)} tài khoản trong {time.monotonic() - started:.1f} giây."
            )
        )
        self.stdout.write(f"Tài khoản mẫu: {', '.join(u[0] for u in DEMO_USERS)} / mật khẩu {settings.DEMO_PASSWORD}")

    def _build_demo(self) -> None:
        rng = random.Random(2024)
        province, bloc, grassroots = demo.build_tree()
        leaves: list[Unit] = []
        for unit in grassroots:
            size = rng.choice([0, 0, 0, 2, 3]) if rng.random() < 0.5 else 0
            branches = demo.add_branches(unit, size) if size else []
            leaves.extend(branches or [unit])
        bulk_insert_members(_member_generator()(leaves, 3000, seed=2024, card_prefix="YB"))
        self._officers(rng, bloc, grassroots)
        units = {"province": province, "bloc": bloc, "coso1": grassroots[0], "coso2": grassroots[1]}
        users = {
            username: User.objects.create_user(
                username=username,
                password=settings.DEMO_PASSWORD,
                full_name=full_name,
                unit=units[unit_key],
                role=role,
                is_staff=superuser,
                is_superuser=superuser,
            )
            for username, full_name, role, unit_key, superuser in DEMO_USERS
        }
        news_demo.build(bloc=bloc, grassroots=grassroots, clerk=users["khoi"], chairs=[users["coso1"], users["coso2"]])
        # The member every example in the docs looks for, registered the way a clerk would.
        member_admit(
            actor=users["coso1"],
            unit=units["coso1"],
            ho="Nguyễn",
            chu_dem="Văn",
            ten="Hùng",
            birth_date=PartialDate(1950, 6, 5),
            hometown="xã Thượng Bằng La, huyện Văn Chấn, Yên Bái",
            enlisted_on=PartialDate(1968, 3),
            discharged_on=PartialDate(1976, 5),
            rank="Thượng sĩ",
            served_unit="Sư đoàn 316",
            joined_on=PartialDate(1992),
            party_member=True,
            party_joined_on=PartialDate(1970),
            war_invalid_rate=41,
            theatres=Theatre.objects.filter(code="chong-my"),
        )
        activities_demo.build(bloc=bloc, grassroots=grassroots)
        # The congress elects the bloc's chairman, who signs the finished round's decision below.
        congress_demo.build(bloc=bloc, grassroots=grassroots, first=users["khoi"], second=users["admin"])
        awards_demo.build(bloc=bloc, grassroots=grassroots)
        round_finished_demo.build(bloc=bloc, grassroots=grassroots)
        reports_demo.build(bloc=bloc, grassroots=grassroots, clerk=users["khoi"], province_clerk=users["admin"])
        meetings_demo.build(bloc=bloc, grassroots=grassroots, chair=users["khoi"])
        care_demo.build(bloc=bloc, grassroots=grassroots, admin=users["admin"], chair=users["coso1"])

    def _officers(self, rng: random.Random, bloc: Unit, grassroots: list[Unit]) -> None:
        """Give every grassroots association a 2022–2027 committee, and the bloc its 2022–2027 term with
        its inspection committee (its Ban Chấp hành, chairman and standing committee are elected at the
        demo congress, hoiccb/demo/congress.py)."""
        start = datetime.date(2022, 7, 1)
        positions = []
        roles_small = [PositionRole.CHAIR, PositionRole.VICE_CHAIR, PositionRole.EXECUTIVE]
        for unit in [bloc, *grassroots]:
            term = Term.objects.create(unit=unit, start_year=2022, end_year=2027)
            pool = list(
                Member.objects.filter(unit_path__startswith=unit.path, status=MemberStatus.ACTIVE).order_by("id")[:200]
            )
            rng.shuffle(pool)
            roles = (
                [
                    PositionRole.INSPECTION_HEAD,
                    *[PositionRole.INSPECTION_MEMBER] * 4,
                ]
                if unit == bloc
                else roles_small
            )
            for role, member in zip(roles, pool, strict=False):
                positions.append(OfficerPosition(unit=unit, term=term, member=member, role=role, start_date=start))
        OfficerPosition.objects.bulk_create(positions)

    def _more_members(self, count: int) -> None:
        leaves = list(Unit.objects.filter(status="active", children__isnull=True).exclude(kind__level__lt=3))
        if not leaves:
            raise CommandError("Chưa có đơn vị cơ sở nào; chạy seed_demo trước.")
        start = (Member.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        started = time.monotonic()
        inserted = bulk_insert_members(
            _member_generator()(leaves, count, seed=start, card_prefix="BM", start_number=start),
            full_records=False,
        )
        self.stdout.write(
            self.style.SUCCESS(f"Đã thêm {inserted} hội viên trong {time.monotonic() - started:.1f} giây.")
        )
