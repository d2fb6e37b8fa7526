"""Writes of movements: launching one with its rating bands, and the yearly ratings of units and members.

Each service checks the actor's scope again, validates, and writes an AwardEvent in the
same transaction.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from hoiccb.accounts.models import User
from hoiccb.awards.access import require_manage_awards
from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.movements.models import MemberRating, Movement, RatingBand, UnitRating
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.audit import record
from hoiccb.org.models import Unit


@transaction.atomic
def movement_create(*, actor: User, unit: Unit, bands: Sequence[tuple[str, Decimal | int]] = (), **fields) -> Movement:
    require_manage_awards(actor, unit)
    movement = Movement(unit=unit, **fields)
    movement.full_clean()
    movement.save()
    for name, min_score in bands:
        RatingBand.objects.create(movement=movement, name=name, min_score=min_score)
    record(AwardEvent, actor=actor, unit=unit, action="movement_create", summary=f"Phát động phong trào {movement}")
    return movement


def parse_bands(text: str) -> list[tuple[str, Decimal]]:
    """Read bands typed one a line as "81: Trong sạch vững mạnh xuất sắc"."""
    bands = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        score, sep, name = line.partition(":")
        try:
            value = Decimal(score.strip().replace(",", "."))
        except ArithmeticError:
            value = None
        if not sep or not name.strip() or value is None:
            raise ValidationError(f"Dòng {number}: viết «điểm tối thiểu: tên xếp loại», ví dụ «81: Xuất sắc».")
        bands.append((name.strip(), value))
    return bands


@transaction.atomic
def unit_ratings_save(
    *, actor: User, movement: Movement, year: int, scores: Mapping[Unit, Decimal | float | None]
) -> int:
    """Record a year's score sheet for units; the band is computed from the movement's cut-offs."""
    if year not in movement.years:
        raise ValidationError(f"Năm {year} nằm ngoài kỳ của phong trào.")
    saved = 0
    for unit, score in scores.items():
        require_manage_awards(actor, unit)
        if score is None:
            UnitRating.objects.filter(movement=movement, unit=unit, year=year).delete()
            continue
        if score < 0 or score > movement.max_score:
            raise ValidationError(f"{unit}: điểm phải từ 0 đến {movement.max_score}.")
        band = movement.band_for(score)
        UnitRating.objects.update_or_create(
            movement=movement, unit=unit, year=year, defaults={"score": score, "band_name": band.name if band else ""}
        )
        saved += 1
    record(
        AwardEvent,
        actor=actor,
        unit=movement.unit,
        action="unit_ratings",
        summary=f"Chấm điểm {saved} đơn vị năm {year}",
    )
    return saved


@transaction.atomic
def member_ratings_save(*, actor: User, movement: Movement, unit: Unit, year: int, exemplary_ids: set[int]) -> int:
    """Rate every active member of `unit` for a year: those ticked are CCB gương mẫu, the others not."""
    require_manage_awards(actor, unit)
    if year not in movement.years:
        raise ValidationError(f"Năm {year} nằm ngoài kỳ của phong trào.")
    people = list(Member.objects.filter(unit=unit, status=MemberStatus.ACTIVE))
    MemberRating.objects.filter(movement=movement, year=year, member__in=people).delete()
    MemberRating.objects.bulk_create(
        MemberRating(movement=movement, member=m, year=year, unit_path=m.unit_path, exemplary=m.pk in exemplary_ids)
        for m in people
    )
    record(
        AwardEvent,
        actor=actor,
        unit=unit,
        action="member_ratings",
        summary=f"Bình xét {len(people)} hội viên năm {year}",
    )
    return len(people)
