"""Dues worked by hand: rate, exemptions, shares per level, arrears."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from hoiccb.conftest import admit
from hoiccb.finance import dues, selectors, services
from hoiccb.finance.models import DuesPayment, FinanceEvent
from hoiccb.lib.dates import PartialDate
from hoiccb.members.models import FamilyCircumstance

PAID_ON = datetime.date(2025, 3, 10)


@given(
    amount=st.integers(min_value=0, max_value=10**12),
    rates=st.lists(st.integers(min_value=0, max_value=2500), max_size=4),
)
def test_shares_and_kept_add_up_to_collected(amount, rates):
    shares, kept = dues.split(amount, rates)
    assert sum(shares) + kept == amount
    assert kept >= 0 and all(s >= 0 for s in shares)


def test_split_by_hand():
    # 24.000 đ × 7 members = 168.000; 10% = 16.800, 15% = 25.200, kept 126.000.
    assert dues.split(168_000, [1000, 1500]) == ([16_800, 25_200], 126_000)
    # Rounding down: 10% of 12.345 is 1.234,5 → 1.234; the 0,5 đ stays below.
    assert dues.split(12_345, [1000, 1500]) == ([1_234, 1_851], 9_260)
    with pytest.raises(ValueError):
        dues.split(100, [6000, 5000])


def test_exemptions_by_hand(rate):
    # Exempt from 80: born 1945 is 80 in 2025.
    assert dues.is_exempt(rate, 2025, birth_year=1945, family_circumstance="")
    assert not dues.is_exempt(rate, 2025, birth_year=1946, family_circumstance="")
    assert dues.is_exempt(rate, 2025, birth_year=1960, family_circumstance=FamilyCircumstance.POOR)
    assert not dues.is_exempt(rate, 2025, birth_year=None, family_circumstance="")


@pytest.fixture
def people(cast, tree):
    khoi = cast["khoi"]
    return {
        "a1": admit(khoi, tree["unit_a"], "Phạm Văn Một", birth_date=PartialDate(1955)),
        "a2": admit(khoi, tree["unit_a"], "Phạm Văn Hai", birth_date=PartialDate(1956, 2)),
        "old": admit(khoi, tree["unit_a"], "Phạm Văn Già", birth_date=PartialDate(1940, 1, 1)),
        "poor": admit(
            khoi, tree["unit_a"], "Phạm Văn Nghèo", birth_date=PartialDate(1960), family_circumstance="ho_ngheo"
        ),
        "branch": admit(khoi, tree["branch_a"], "Vũ Văn Chi", birth_date=PartialDate(1958)),
        "b": admit(khoi, tree["unit_b"], "Đỗ Văn Bê", birth_date=PartialDate(1957)),
    }


def test_pay_list_numbers_receipts_per_unit_and_skips_exempt(cast, tree, people, rate, shares):
    made = services.dues_pay_many(
        actor=cast["coso1"], unit=tree["unit_a"], year=2025, member_ids=None, paid_on=PAID_ON, collected_by="Lê Thủ Quỹ"
    )
    # a1, a2 (unit A) and branch (its branch); the old and the poor members are exempt, B is outside.
    assert made == 3
    payments = DuesPayment.objects.filter(year=2025)
    assert {p.member_id for p in payments} == {people["a1"].pk, people["a2"].pk, people["branch"].pk}
    assert sorted(p.receipt_no for p in payments if p.unit_id == tree["unit_a"].pk) == [1, 2]
    assert [p.receipt_no for p in payments if p.unit_id == tree["branch_a"].pk] == [1]
    assert all(p.amount == 24_000 for p in payments)
    assert FinanceEvent.objects.filter(action="dues_paid").count() == 2
    # Paying again changes nothing; a single later payment takes the next number.
    again = services.dues_pay_many(
        actor=cast["coso1"], unit=tree["unit_a"], year=2025, member_ids=None, paid_on=PAID_ON, collected_by="Lê"
    )
    assert again == 0


def test_list_payments_read_back_whole(cast, tree, people, rate, shares):
    """The list is written as plain rows (COPY / executemany): every column reads back as a clerk's payment."""
    services.dues_pay_many(
        actor=cast["coso1"],
        unit=tree["unit_a"],
        year=2025,
        member_ids=[people["a1"].pk],
        paid_on=PAID_ON,
        collected_by=" Lê  Thủ Quỹ ",
    )
    first = DuesPayment.objects.get(member=people["a1"], year=2025)
    assert (first.unit_id, first.unit_path, first.receipt_no) == (tree["unit_a"].pk, tree["unit_a"].path, 1)
    assert (first.paid_on, first.collected_by, first.payer_name) == (PAID_ON, "Lê Thủ Quỹ", "Phạm Văn Một")
    assert first.recorded_by == cast["coso1"] and first.created_at is not None and first.amount == 24_000
    # One member paid by a relative: the next number, the payer's name as given (cleaned).
    second = services.dues_pay(
        actor=cast["coso1"],
        member=people["a2"],
        year=2025,
        paid_on=PAID_ON,
        collected_by="Lê Thủ Quỹ",
        payer_name="  Phạm Thị\u200b Vợ ",
    )
    assert (second.receipt_no, second.payer_name) == (2, "Phạm Thị Vợ")
    event = FinanceEvent.objects.filter(action="dues_paid").latest("id")
    assert event.unit_path == tree["unit_a"].path and "1 hội viên" in event.summary


def test_rollup_and_arrears_by_hand(cast, tree, people, rate, shares):
    services.dues_pay(actor=cast["coso1"], member=people["a1"], year=2025, paid_on=PAID_ON, collected_by="Lê")
    rows, total = selectors.dues_rollup(tree["bloc"], 2025, rate)
    by_unit = {r.unit.pk: r for r in rows if r.unit is not None}
    a = by_unit[tree["unit_a"].pk]
    # Unit A's subtree: 5 active, 2 exempt, 3 due, 1 paid → 2 in arrears, 48.000 đ.
    assert (a.active, a.exempt, a.due, a.paid, a.arrears, a.arrears_amount) == (5, 2, 3, 1, 2, 48_000)
    b = by_unit[tree["unit_b"].pk]
    assert (b.due, b.paid, b.arrears) == (1, 0, 1)
    assert (total.due, total.paid, total.collected, total.arrears) == (4, 1, 24_000, 3)


def test_statement_shares_and_remittance(cast, tree, people, rate, shares):
    services.dues_pay_many(
        actor=cast["coso1"],
        unit=tree["unit_a"],
        year=2025,
        member_ids=[people["a1"].pk, people["a2"].pk],
        paid_on=PAID_ON,
        collected_by="Lê",
    )
    services.remittance_record(
        actor=cast["coso1"], unit=tree["unit_a"], to_unit=tree["bloc"], year=2025, amount=5_000, paid_on=PAID_ON
    )
    statement = selectors.dues_statement(tree["unit_a"], 2025)
    assert statement.collected == 48_000
    lines = {line.to_unit.pk: line for line in statement.lines}
    assert lines[tree["province"].pk].due == 4_800
    assert lines[tree["bloc"].pk].due == 7_200
    assert lines[tree["bloc"].pk].outstanding == 2_200
    assert statement.kept == 36_000
    with pytest.raises(ValidationError):
        services.remittance_record(
            actor=cast["coso1"], unit=tree["unit_a"], to_unit=tree["unit_b"], year=2025, amount=1, paid_on=PAID_ON
        )


def test_other_unit_cannot_collect(cast, tree, people, rate):
    with pytest.raises(PermissionDenied):
        services.dues_pay(actor=cast["coso2"], member=people["a1"], year=2025, paid_on=PAID_ON, collected_by="X")


def test_no_rate_is_a_clear_message(cast, tree, people):
    with pytest.raises(ValidationError, match="Chưa có mức hội phí"):
        services.dues_pay(actor=cast["coso1"], member=people["a1"], year=2025, paid_on=PAID_ON, collected_by="X")


def test_six_month_report_counts_dues(cast, tree, people, rate, shares):
    from hoiccb.reports.figures import compute

    services.dues_pay(actor=cast["coso1"], member=people["a1"], year=2025, paid_on=PAID_ON, collected_by="Lê")
    services.dues_pay(
        actor=cast["coso1"], member=people["branch"], year=2025, paid_on=datetime.date(2025, 8, 1), collected_by="Lê"
    )
    figures = compute([tree["unit_a"], tree["unit_b"]], datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    a, b = figures[tree["unit_a"].pk], figures[tree["unit_b"].pk]
    # By 30/6 unit A's subtree had one payment (24.000 đ) of 3 members due: 2 still owe.
    assert (a["dues_collected"], a["dues_paid"], a["dues_arrears"]) == (24_000, 1, 2)
    assert (b["dues_collected"], b["dues_paid"], b["dues_arrears"]) == (0, 0, 1)
