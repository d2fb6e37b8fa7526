"""Demo dues and funds (two years), cards for one association, and this year's celebration lists.

The lists themselves are read from the members (their birth, party and enlistment dates),
so they exist as soon as the members do; this module gives the first association's members
card numbers and the demo member a photo.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from hoiccb.accounts.models import User
from hoiccb.finance import selectors, services
from hoiccb.finance.models import DuesRate, DuesShare, EntryCategory
from hoiccb.lib.forms import today
from hoiccb.members.cards import services as card_services
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit, UnitKind
from hoiccb.org.paths import subtree_filter


def _portrait() -> SimpleUploadedFile:
    image = Image.new("RGB", (600, 700), (225, 232, 240))
    draw = ImageDraw.Draw(image)
    draw.ellipse((200, 120, 400, 340), fill=(214, 176, 140))
    draw.rectangle((150, 380, 450, 700), fill=(60, 90, 60))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return SimpleUploadedFile("chan-dung.jpg", out.getvalue(), content_type="image/jpeg")


def build(*, bloc: Unit, grassroots: list[Unit], admin: User, chair: User) -> None:
    now = today()
    last, this = now.year - 1, now.year
    DuesRate.objects.update_or_create(
        from_year=2020, defaults={"amount": 24_000, "exempt_from_age": 80, "exempt_hardship": True}
    )
    DuesShare.objects.update_or_create(kind=UnitKind.objects.get(code="tinh"), defaults={"basis_points": 1000})
    DuesShare.objects.update_or_create(kind=UnitKind.objects.get(code="khoi"), defaults={"basis_points": 1500})
    # Last year every association collected in March; this year the first half of them have.
    for i, unit in enumerate(grassroots):
        services.dues_pay_many(
            actor=admin,
            unit=unit,
            year=last,
            member_ids=None,
            paid_on=datetime.date(last, 3, 15),
            collected_by="Thủ quỹ chi hội",
        )
        if i % 2 == 0:
            services.dues_pay_many(
                actor=admin,
                unit=unit,
                year=this,
                member_ids=None,
                paid_on=min(now, datetime.date(this, 3, 15)),
                collected_by="Thủ quỹ chi hội",
            )
    # The first association passed last year's shares up, and keeps two funds.
    first = grassroots[0]
    statement = selectors.dues_statement(first, last)
    for line in statement.lines:
        if line.due:
            services.remittance_record(
                actor=chair,
                unit=first,
                to_unit=line.to_unit,
                year=last,
                amount=line.due,
                paid_on=datetime.date(last, 4, 10),
                note="Nộp qua thủ quỹ",
            )
    fund = services.fund_create(actor=chair, unit=first, name="Quỹ Hội")
    comrades = services.fund_create(actor=chair, unit=first, name="Quỹ nghĩa tình đồng đội", kind="nghia_tinh")
    kept = statement.kept
    entries = [
        (fund, datetime.date(last, 3, 20), EntryCategory.DUES_SHARE, kept or 1_000_000, f"Hội phí năm {last} để lại"),
        (fund, datetime.date(last, 7, 25), EntryCategory.GIFT, 1_500_000, "Tặng quà 27/7 gia đình chính sách"),
        (fund, datetime.date(last, 12, 20), EntryCategory.ACTIVITY, 800_000, "Gặp mặt kỷ niệm 22/12"),
        (comrades, datetime.date(last, 1, 10), EntryCategory.CONTRIBUTION, 12_000_000, "Hội viên ủng hộ quỹ"),
        (comrades, datetime.date(last, 5, 5), EntryCategory.VISIT, 2_000_000, "Thăm hội viên ốm nặng"),
        (comrades, datetime.date(this, 1, 15), EntryCategory.SUPPORT, 5_000_000, "Cơ quan hỗ trợ dịp Tết"),
    ]
    written = [
        services.fund_entry_add(actor=chair, fund=f, on=on, category=c, amount=a, description=d)
        for f, on, c, a, d in entries
    ]
    wrong = services.fund_entry_add(
        actor=chair,
        fund=comrades,
        on=datetime.date(this, 1, 20),
        category=EntryCategory.VISIT,
        amount=3_000_000,
        description="Thăm viếng (ghi nhầm số tiền)",
    )
    services.fund_entry_reverse(actor=chair, entry=wrong, on=datetime.date(this, 1, 21), reason="Ghi nhầm số tiền")
    del written
    # Cards for the first association: numbers for those without, and the demo member's photo.
    members = list(
        Member.objects.filter(status=MemberStatus.ACTIVE, **subtree_filter("unit_path", first.path)).select_related(
            "unit"
        )
    )
    card_services.cards_number_missing(actor=admin, unit=first, members=members, issued_on=now)
    hung = Member.objects.filter(ho="Nguyễn", chu_dem="Văn", ten="Hùng", unit=first).order_by("-id").first()
    if hung is not None:
        card_services.photo_set(actor=admin, member=hung, upload=_portrait())
