"""Writes of dues, remittances, funds and visits: scope checked again, validated, audited.

Every write records a FinanceEvent in the same transaction. Fund entries are never
changed or deleted: `fund_entry_reverse` adds the counter-entry.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.finance import dues
from hoiccb.finance.models import (
    INCOME,
    DuesPayment,
    EntryCategory,
    FinanceEvent,
    Fund,
    FundEntry,
    FundKind,
    Remittance,
    VisitStatus,
    VisitTask,
)
from hoiccb.lib.bulk import insert_rows
from hoiccb.lib.text import clean_text
from hoiccb.lib.vietnamese import format_money
from hoiccb.members.models import Member
from hoiccb.org.audit import record, record_many
from hoiccb.org.models import Unit
from hoiccb.org.paths import subtree_filter

MAX_AMOUNT = 10**12  # a thousand billion đồng: anything above is a typing slip
PAYMENT_COLUMNS = [
    "member_id",
    "unit_id",
    "unit_path",
    "year",
    "amount",
    "paid_on",
    "collected_by",
    "receipt_no",
    "payer_name",
    "recorded_by_id",
    "created_at",
]


def _require(actor: User, unit: Unit) -> None:
    if not scoping.can(actor, "manage_finance") or not scoping.unit_in_scope(actor, unit):
        raise PermissionDenied("Bạn không có quyền ghi hội phí, quỹ của đơn vị này.")


def _check_amount(amount: int, field: str = "amount") -> None:
    if amount <= 0:
        raise ValidationError({field: "Số tiền phải lớn hơn 0."})
    if amount >= MAX_AMOUNT:
        raise ValidationError({field: "Số tiền quá lớn, hãy kiểm tra lại."})


def _rate(year: int):
    rate = dues.rate_for(year)
    if rate is None:
        raise ValidationError(f"Chưa có mức hội phí áp dụng cho năm {year}. Hãy nhờ quản trị nhập mức hội phí.")
    return rate


# --- Dues ------------------------------------------------------------------------------------


@transaction.atomic
def dues_pay(
    *, actor: User, member: Member, year: int, paid_on: datetime.date, collected_by: str, payer_name: str = ""
) -> DuesPayment:
    """Record one member's dues for `year`; returns the payment (its receipt number is the unit's next)."""
    made = dues_pay_many(
        actor=actor,
        unit=member.unit,
        year=year,
        member_ids=[member.pk],
        paid_on=paid_on,
        collected_by=collected_by,
        payer_names={member.pk: payer_name},
    )
    if not made:
        raise ValidationError(f"{member} đã nộp hội phí năm {year} hoặc không phải nộp.")
    return DuesPayment.objects.get(member=member, year=year)


@transaction.atomic
def dues_pay_many(
    *,
    actor: User,
    unit: Unit,
    year: int,
    member_ids: Iterable[int] | None,
    paid_on: datetime.date,
    collected_by: str,
    payer_names: dict[int, str] | None = None,
) -> int:
    """Record dues for `year` for the given members of `unit`'s subtree (None: every member who owes).

    Members already paid, exempt or not active are skipped. Receipt numbers follow on
    per member's unit and year. Returns how many payments were written.
    """
    _require(actor, unit)
    collected_by = clean_text(collected_by)
    if not collected_by:
        raise ValidationError({"collected_by": "Nhập tên người thu."})
    if not 1990 <= year <= paid_on.year + 1:
        raise ValidationError({"year": "Năm hội phí không hợp lệ."})
    rate = _rate(year)
    members = Member.objects.filter(**subtree_filter("unit_path", unit.path)).filter(dues.due_q(rate, year))
    if member_ids is not None:
        members = members.filter(pk__in=list(member_ids))
    # Lock the unit rows so that two clerks do not hand out the same receipt numbers.
    list(Unit.objects.select_for_update().filter(**subtree_filter("path", unit.path)).values_list("pk", flat=True))
    paid = DuesPayment.objects.filter(year=year, **subtree_filter("unit_path", unit.path)).values_list(
        "member_id", flat=True
    )
    rows = list(
        members.exclude(pk__in=paid)
        .order_by("unit_id", "sort_key", "id")
        .values_list("pk", "unit_id", "unit_path", "ho", "chu_dem", "ten")
    )
    if not rows:
        return 0
    numbers = dict(
        DuesPayment.objects.filter(year=year, **subtree_filter("unit_path", unit.path))
        .values("unit_id")
        .annotate(top=Max("receipt_no"))
        .values_list("unit_id", "top")
    )
    names = payer_names or {}
    now, actor_id = timezone.now(), actor.pk
    payments = []
    per_unit: dict[int, tuple[str, int]] = defaultdict(lambda: ("", 0))
    for pk, unit_id, path, ho, chu_dem, ten in rows:
        numbers[unit_id] = numbers.get(unit_id, 0) + 1
        payer = clean_text(names[pk]) if pk in names else ""
        payer = payer or " ".join(p for p in (ho, chu_dem, ten) if p)  # Member.full_name
        payments.append(
            [pk, unit_id, path, year, rate.amount, paid_on, collected_by, numbers[unit_id], payer, actor_id, now]
        )
        per_unit[unit_id] = (path, per_unit[unit_id][1] + 1)
    # A province is tens of thousands of payments: plain rows through COPY / one executemany
    # (lib.bulk), no model instance each; the unit path is the member's, as UnitOwned.save sets it.
    insert_rows(DuesPayment, PAYMENT_COLUMNS, payments)
    record_many(
        FinanceEvent,
        (
            FinanceEvent(
                actor=actor,
                action="dues_paid",
                unit_id=unit_id,
                unit_path=path,
                summary=f"Thu hội phí năm {year}: {count} hội viên, {format_money(count * rate.amount)}",
                changes={"Người thu": ["", collected_by], "Ngày nộp": ["", paid_on.strftime("%d/%m/%Y")]},
            )
            for unit_id, (path, count) in per_unit.items()
        ),
    )
    return len(payments)


@transaction.atomic
def remittance_record(
    *, actor: User, unit: Unit, to_unit: Unit, year: int, amount: int, paid_on: datetime.date, note: str = ""
) -> Remittance:
    """Record dues passed by `unit` to an upper unit; returns the remittance."""
    _require(actor, unit)
    _check_amount(amount)
    if not (unit.path.startswith(to_unit.path) and unit.pk != to_unit.pk):
        raise ValidationError({"to_unit": "Chỉ nộp cho đơn vị cấp trên của mình."})
    remittance = Remittance(
        unit=unit,
        to_unit=to_unit,
        year=year,
        amount=amount,
        paid_on=paid_on,
        note=clean_text(note),
        recorded_by=actor,
    )
    remittance.full_clean()
    remittance.save()
    record(
        FinanceEvent,
        actor=actor,
        action="remitted",
        unit=unit,
        summary=f"Nộp hội phí năm {year} cho {to_unit}: {format_money(amount)}",
    )
    return remittance


# --- Funds ----------------------------------------------------------------------------------


@transaction.atomic
def fund_create(*, actor: User, unit: Unit, name: str, kind: str = FundKind.ASSOCIATION) -> Fund:
    _require(actor, unit)
    name = clean_text(name)
    if Fund.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": f"Đơn vị đã có quỹ “{name}”."})
    fund = Fund(unit=unit, name=name, kind=kind)
    fund.full_clean()
    fund.save()
    record(FinanceEvent, actor=actor, action="fund_created", unit=unit, summary=f"Lập quỹ {name}")
    return fund


@transaction.atomic
def fund_entry_add(
    *,
    actor: User,
    fund: Fund,
    on: datetime.date,
    category: str,
    amount: int,
    description: str,
    gift=None,
    activity=None,
) -> FundEntry:
    """Write an income or expense line (`amount` given positive; expenses are stored negative)."""
    _require(actor, fund.unit)
    _check_amount(amount)
    if category == EntryCategory.REVERSAL:
        raise ValidationError({"category": "Bút toán đảo chỉ tạo bằng nút «Đảo bút toán»."})
    if gift is not None and not gift.unit_path.startswith(fund.unit_path):
        raise ValidationError({"gift": "Quà tặng không thuộc đơn vị của quỹ."})
    if activity is not None and not activity.unit_path.startswith(fund.unit_path):
        raise ValidationError({"activity": "Hoạt động không thuộc đơn vị của quỹ."})
    if (gift is not None or activity is not None) and category in INCOME:
        raise ValidationError({"category": "Chỉ khoản chi mới gắn với quà tặng, hoạt động."})
    signed = amount if category in INCOME else -amount
    entry = FundEntry(
        fund=fund,
        on=on,
        category=category,
        amount=signed,
        description=clean_text(description),
        gift=gift,
        activity=activity,
        recorded_by=actor,
    )
    entry.full_clean()
    entry.save()
    record(
        FinanceEvent,
        actor=actor,
        action="fund_entry",
        unit=fund.unit,
        summary=f"{fund.name}: {entry.get_category_display()} {format_money(amount)} – {entry.description}",
    )
    return entry


@transaction.atomic
def fund_entry_reverse(*, actor: User, entry: FundEntry, on: datetime.date, reason: str) -> FundEntry:
    """Undo an entry with a counter-entry of the opposite amount; returns the counter-entry."""
    entry = FundEntry.objects.select_for_update().select_related("fund__unit").get(pk=entry.pk)
    _require(actor, entry.fund.unit)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "Nhập lý do đảo bút toán."})
    if entry.category == EntryCategory.REVERSAL:
        raise ValidationError("Không đảo một bút toán đảo; hãy ghi bút toán mới.")
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ValidationError("Bút toán này đã được đảo.")
    if on < entry.on:
        raise ValidationError({"on": "Ngày đảo không được trước ngày của bút toán gốc."})
    counter = FundEntry(
        fund=entry.fund,
        on=on,
        category=EntryCategory.REVERSAL,
        amount=-entry.amount,
        description=f"Đảo bút toán ngày {entry.on:%d/%m/%Y}: {reason}"[:255],
        reverses=entry,
        recorded_by=actor,
    )
    counter.save()
    record(
        FinanceEvent,
        actor=actor,
        action="fund_reversal",
        unit=entry.fund.unit,
        summary=f"{entry.fund.name}: đảo bút toán {format_money(abs(entry.amount))} – {reason}",
    )
    return counter


def fund_balance(fund: Fund, on: datetime.date) -> int:
    """Return the fund's balance at the end of `on`."""
    return FundEntry.objects.filter(fund=fund, on__lte=on).aggregate(total=Sum("amount"))["total"] or 0


# --- Visits ---------------------------------------------------------------------------------


def create_visit_task(*, actor: User | None, member: Member, funeral: str) -> VisitTask:
    """Registered with members.deaths: open the unit's visit task for a member who died."""
    task, _ = VisitTask.objects.update_or_create(
        member=member,
        defaults={
            "unit": member.unit,
            "died_on": str(member.died_on or ""),
            "funeral": clean_text(funeral, multiline=True),
            "status": VisitStatus.TODO,
        },
    )
    record(
        FinanceEvent,
        actor=actor,
        action="visit_opened",
        unit=member.unit,
        summary=f"Việc thăm viếng gia đình {member}",
    )
    return task


@transaction.atomic
def visit_done(*, actor: User, task: VisitTask, on: datetime.date) -> VisitTask:
    _require(actor, task.unit)
    task.status = VisitStatus.DONE
    task.visited_on = on
    task.save(update_fields=["status", "visited_on"])
    record(
        FinanceEvent, actor=actor, action="visit_done", unit=task.unit, summary=f"Đã thăm viếng gia đình {task.member}"
    )
    return task
