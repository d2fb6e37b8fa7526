"""What the sibling-unit walk (accounts/tests/leaks_walk.py) needs of finance: the victim's
payment, fund, fund entry and visit task, made on first use."""

import datetime

from hoiccb.finance import services
from hoiccb.finance.models import DuesRate, EntryCategory, VisitTask
from hoiccb.lib.dates import PartialDate
from hoiccb.members import services as member_services

TARGETS = {
    "finance:receipt_docx": "payment",
    "finance:receipt_pdf": "payment",
    "finance:fund": "fund",
    "finance:fund_xlsx": "fund",
    "finance:fund_docx": "fund",
    "finance:entry_reverse": "entry",
    "finance:visit_done": "visit",
}


def _ensure(victim: dict) -> None:
    if "payment" in victim:
        return
    user, unit, member = victim["user"], victim["unit"], victim["member"]
    DuesRate.objects.get_or_create(from_year=2000, defaults={"amount": 24_000, "exempt_hardship": False})
    on = datetime.date.today()
    services.dues_pay(actor=user, member=member, year=on.year, paid_on=on, collected_by="Thủ quỹ")
    victim["payment"] = services.DuesPayment.objects.get(member=member)
    fund = services.fund_create(actor=user, unit=unit, name=f"Quỹ của {member.full_name}")
    victim["fund"] = fund
    victim["entry"] = services.fund_entry_add(
        actor=user, fund=fund, on=on, category=EntryCategory.CONTRIBUTION, amount=100_000, description="Ủng hộ"
    )
    other = member_services.member_admit(
        actor=user, unit=member.unit, ho="Đinh", chu_dem="Văn", ten="Viếng", birth_date=PartialDate(1940)
    )
    member_services.member_record_death(actor=user, member=other, died_on=PartialDate(on.year), funeral="Tại nhà")
    victim["visit"] = VisitTask.objects.get(member=other)


def finance_target(url_name: str, victim: dict) -> int:
    _ensure(victim)
    return victim[TARGETS[url_name]].pk
