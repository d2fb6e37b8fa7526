"""Fund ledgers: balance at a date, reversal by counter-entry, link to a gift; visit tasks on death."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hoiccb.finance import selectors, services
from hoiccb.finance.models import EntryCategory, FinanceEvent, FundEntry, VisitStatus, VisitTask
from hoiccb.lib.dates import PartialDate
from hoiccb.members import services as member_services

D = datetime.date


@pytest.fixture
def fund(cast, tree):
    return services.fund_create(actor=cast["coso1"], unit=tree["unit_a"], name="Quỹ nghĩa tình đồng đội")


def test_balance_after_reversal(cast, fund):
    actor = cast["coso1"]
    services.fund_entry_add(
        actor=actor,
        fund=fund,
        on=D(2025, 1, 5),
        category=EntryCategory.CONTRIBUTION,
        amount=5_000_000,
        description="Hội viên ủng hộ",
    )
    wrong = services.fund_entry_add(
        actor=actor,
        fund=fund,
        on=D(2025, 2, 1),
        category=EntryCategory.VISIT,
        amount=800_000,
        description="Thăm ốm (ghi nhầm số tiền)",
    )
    services.fund_entry_add(
        actor=actor, fund=fund, on=D(2025, 2, 2), category=EntryCategory.VISIT, amount=500_000, description="Thăm ốm"
    )
    assert services.fund_balance(fund, D(2025, 2, 2)) == 3_700_000
    counter = services.fund_entry_reverse(actor=actor, entry=wrong, on=D(2025, 2, 10), reason="Ghi nhầm số tiền")
    assert counter.amount == 800_000 and counter.reverses == wrong
    # Before the reversal date the old balance stands; after it the mistake is gone.
    assert services.fund_balance(fund, D(2025, 2, 9)) == 3_700_000
    assert services.fund_balance(fund, D(2025, 2, 10)) == 4_500_000
    # Nothing is deleted: four lines, the wrong one still there.
    assert FundEntry.objects.filter(fund=fund).count() == 4
    with pytest.raises(ValidationError, match="đã được đảo"):
        services.fund_entry_reverse(actor=actor, entry=wrong, on=D(2025, 2, 11), reason="lần nữa")
    with pytest.raises(ValidationError):
        services.fund_entry_reverse(actor=actor, entry=counter, on=D(2025, 2, 11), reason="đảo của đảo")
    assert FinanceEvent.objects.filter(action="fund_reversal").count() == 1
    statement = selectors.fund_statement(fund, D(2025, 2, 1), D(2025, 2, 28))
    assert (statement.opening, statement.income, statement.expense, statement.closing) == (
        5_000_000,
        800_000,
        1_300_000,
        4_500_000,
    )


def test_amount_checks(cast, fund):
    with pytest.raises(ValidationError):
        services.fund_entry_add(
            actor=cast["coso1"], fund=fund, on=D(2025, 1, 1), category=EntryCategory.GIFT, amount=0, description="x"
        )
    with pytest.raises(ValidationError):
        services.fund_entry_add(
            actor=cast["coso1"],
            fund=fund,
            on=D(2025, 1, 1),
            category=EntryCategory.REVERSAL,
            amount=5,
            description="x",
        )


def test_death_opens_a_visit_task(cast, members):
    member = members["hung"]
    member_services.member_record_death(
        actor=cast["khoi"],
        member=member,
        died_on=PartialDate(2025, 4, 2),
        funeral="Lễ viếng 8h ngày 04/4/2025 tại nhà riêng",
    )
    task = VisitTask.objects.get(member=member)
    assert task.unit == member.unit
    assert task.status == VisitStatus.TODO
    assert "nhà riêng" in task.funeral
    assert task.died_on == "02/04/2025"
