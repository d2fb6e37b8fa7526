"""Eligibility rules of a form of commendation, each refusal with a reason a person understands."""

from hoiccb.awards.history.models import AwardRecord
from hoiccb.awards.movements.models import MemberRating, UnitRating
from hoiccb.awards.rounds.models import HOLDING_STATES, AwardForm, Nomination, Recipient, Round
from hoiccb.members.models import MemberStatus


def problems(*, round: Round, form: AwardForm, member=None, unit=None, exclude_pk=None) -> list[str]:
    """Return why the nominee may not receive `form` in `round` (an empty list: eligible)."""
    reasons: list[str] = []
    if form.recipient == Recipient.INDIVIDUAL and member is None:
        return [f"{form.name} chỉ dành cho cá nhân."]
    if form.recipient == Recipient.COLLECTIVE and unit is None:
        return [f"{form.name} chỉ dành cho tập thể."]
    if member is not None:
        history = AwardRecord.objects.filter(member=member, form=form)
        if form.not_posthumous and member.status == MemberStatus.DECEASED:
            reasons.append(f"{form.name} không truy tặng cho hội viên đã từ trần.")
    else:
        history = AwardRecord.objects.filter(unit=unit, form=form)
    last = history.order_by("-year").first()
    if last is not None:
        if form.once_in_lifetime:
            reasons.append(f"Đã nhận {form.name} năm {last.year} (chỉ được nhận một lần).")
        elif form.min_years_between and round.year - last.year < form.min_years_between:
            reasons.append(
                f"Đã nhận {form.name} năm {last.year}; phải cách ít nhất {form.min_years_between} năm "
                f"(sớm nhất năm {last.year + form.min_years_between})."
            )
    required = form.requires_form
    if required is not None:
        before = AwardRecord.objects.filter(form=required, year__lte=round.year)
        before = before.filter(member=member) if member is not None else before.filter(unit=unit)
        if not before.exists():
            reasons.append(
                f"Chưa nhận {required.name}: {form.name} chỉ xét cho người, tập thể đã nhận {required.name}."
            )
    movement = round.movement
    if form.prerequisite_years:
        if member is not None:
            held = MemberRating.objects.filter(movement=movement, member=member, exemplary=True).count()
            title = "CCB gương mẫu"
        else:
            top = movement.bands.first()
            held = UnitRating.objects.filter(movement=movement, unit=unit, band_name=top.name).count() if top else 0
            title = f"«{top.name}»" if top else "xếp loại cao nhất"
        if held < form.prerequisite_years:
            reasons.append(
                f"Mới đạt {title} {held} năm trong kỳ {movement.start_year}–{movement.end_year}, "
                f"cần ít nhất {form.prerequisite_years} năm."
            )
    # One achievement is rewarded once: one nomination per nominee and round.
    same = Nomination.objects.filter(round=round, state__in=HOLDING_STATES)
    same = same.filter(member=member) if member is not None else same.filter(nominee_unit=unit)
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    other = same.select_related("form").first()
    if other is not None:
        reasons.append(
            f"Thành tích này đã được đề nghị {other.form.name} trong đợt này (một thành tích chỉ khen một lần)."
        )
    return reasons
