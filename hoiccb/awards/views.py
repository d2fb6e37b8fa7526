from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hoiccb.accounts import scoping
from hoiccb.awards import decision_template, documents, registration, selectors, services
from hoiccb.awards.forms import (
    DecisionForm,
    MovementForm,
    NominationForm,
    QuotaForm,
    RoundForm,
    ShareAdjustForm,
    VoteForm,
)
from hoiccb.awards.models import (
    AwardRecord,
    Decision,
    MemberRating,
    Movement,
    Nomination,
    NominationState,
    Round,
    Share,
    UnitRating,
)
from hoiccb.lib.files import DOCX_TYPE
from hoiccb.lib.views import submit
from hoiccb.members import access as members_access
from hoiccb.members.models import MemberStatus


def _manages(user, unit) -> bool:
    return scoping.can(user, "manage_awards") and scoping.unit_in_scope(user, unit)


@login_required
def index(request):
    scoping.require(request.user, "view")
    return render(
        request,
        "awards/index.html",
        {
            "movements": scoping.award_movements(request.user).select_related("unit"),
            "rounds": scoping.award_rounds(request.user).select_related("movement", "unit"),
            "can_manage": scoping.can(request.user, "manage_awards"),
            "can_manage_template": decision_template.can_manage(request.user),
        },
    )


@login_required
def movement_create(request):
    scoping.require(request.user, "manage_awards")
    form = MovementForm(request.POST or None)

    def action(data):
        bands = services.parse_bands(data.pop("bands"))
        return services.movement_create(actor=request.user, unit=request.user.unit, bands=bands, **data)

    movement = submit(request, form, action, done="Đã phát động phong trào.")
    if movement:
        return redirect("awards:movement", movement.pk)
    return render(request, "awards/form.html", {"form": form, "title": "Phát động phong trào thi đua"})


def _movement(request, pk) -> Movement:
    # A chair takes part in the movements launched above them: they read its criteria and
    # rate their own members; scores and pages below stay limited to their own units.
    return scoping.get_or_404(scoping.award_movements(request.user).select_related("unit"), pk=pk)


def _year(request, movement) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or movement.end_year)
    except ValueError:
        year = movement.end_year
    return year if year in movement.years else movement.end_year


@login_required
def movement_detail(request, pk):
    """The movement's bands and a year's score sheet of the units in the user's scope."""
    movement = _movement(request, pk)
    year = _year(request, movement)
    units = list(scoping.units(request.user).filter(kind__is_grassroots=True).order_by("path"))
    ratings = {r.unit_id: r for r in UnitRating.objects.filter(movement=movement, year=year, unit__in=units)}
    can_rate = _manages(request.user, movement.unit)
    if request.method == "POST":
        if not can_rate:
            raise Http404("Không tìm thấy.")
        scores, errors = {}, []
        for unit in units:
            raw = request.POST.get(f"score_{unit.pk}", "").strip().replace(",", ".")
            if not raw:
                scores[unit] = None
                continue
            try:
                scores[unit] = Decimal(raw)
            except InvalidOperation:
                errors.append(f"{unit}: «{raw}» không phải là số.")
        if not errors:
            try:
                n = services.unit_ratings_save(actor=request.user, movement=movement, year=year, scores=scores)
                messages.success(request, f"Đã lưu điểm của {n} đơn vị năm {year}.")
                return redirect(f"{request.path}?year={year}")
            except ValidationError as exc:
                errors = exc.messages
        for e in errors:
            messages.error(request, e)
    rows = [(u, ratings.get(u.pk)) for u in units]
    return render(
        request,
        "awards/movement.html",
        {"movement": movement, "year": year, "rows": rows, "can_rate": can_rate, "bands": movement.bands.all()},
    )


@login_required
def member_ratings(request, pk):
    """Rate a unit's members for a year in one table: tick the CCB gương mẫu."""
    movement = _movement(request, pk)
    year = _year(request, movement)
    units = scoping.units(request.user).filter(kind__holds_members=True).order_by("path")
    unit = None
    if request.GET.get("unit") or request.POST.get("unit"):
        unit = scoping.get_or_404(units, pk=request.GET.get("unit") or request.POST.get("unit"))
    people, ticked = [], set()
    if unit is not None:
        people = list(unit.members.filter(status=MemberStatus.ACTIVE).order_by("sort_key", "id"))
        ticked = set(
            MemberRating.objects.filter(movement=movement, year=year, member__in=people, exemplary=True).values_list(
                "member_id", flat=True
            )
        )
        if request.method == "POST":
            chosen = {int(x) for x in request.POST.getlist("exemplary") if x.isdigit()}
            try:
                n = services.member_ratings_save(
                    actor=request.user, movement=movement, unit=unit, year=year, exemplary_ids=chosen
                )
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, f"Đã bình xét {n} hội viên năm {year}.")
                return redirect(f"{request.path}?unit={unit.pk}&year={year}")
    return render(
        request,
        "awards/member_ratings.html",
        {"movement": movement, "year": year, "units": units, "unit": unit, "people": people, "ticked": ticked},
    )


@login_required
def round_create(request):
    scoping.require(request.user, "manage_awards")
    movements = scoping.in_scope(request.user, Movement.objects.all())
    form = RoundForm(request.POST or None, movements=movements)
    rnd = submit(
        request,
        form,
        lambda d: services.round_create(actor=request.user, unit=request.user.unit, **d),
        done="Đã mở đợt khen thưởng.",
    )
    if rnd:
        return redirect("awards:round", rnd.pk)
    return render(request, "awards/form.html", {"form": form, "title": "Mở đợt khen thưởng"})


def _round(request, pk) -> Round:
    return scoping.get_or_404(scoping.award_rounds(request.user).select_related("movement", "unit"), pk=pk)


@login_required
def round_detail(request, pk):
    rnd = _round(request, pk)
    manages = _manages(request.user, rnd.unit)
    quotas = list(rnd.quotas.select_related("form"))
    shares = (
        Share.objects.filter(quota__round=rnd)
        .select_related("unit", "quota__form")
        .order_by("quota__form__order", "unit_path")
    )
    nominations = Nomination.objects.filter(round=rnd).select_related(
        "form", "member", "nominee_unit", "unit", "decision"
    )
    if not manages:
        shares = scoping.in_scope(request.user, shares)
        nominations = scoping.in_scope(request.user, nominations)
    used = {
        (r["unit"], r["form"]): r["n"]
        for r in Nomination.objects.filter(
            round=rnd, state__in=[s for s in NominationState if s not in ("rejected", "returned")]
        )
        .values("unit", "form")
        .annotate(n=Count("id"))
    }
    share_rows = [(s, used.get((s.unit_id, s.quota.form_id), 0)) for s in shares]
    return render(
        request,
        "awards/round.html",
        {
            "round": rnd,
            "manages": manages,
            "quotas": quotas,
            "share_rows": share_rows,
            "nominations": nominations,
            "quota_form": QuotaForm(),
            "decision_form": DecisionForm(
                initial={"form": next((q.form for q in quotas if q.form.level == "khoi"), None)}
            ),
            "decisions": rnd.decisions.select_related("form") if manages else [],
            "can_nominate": scoping.can(request.user, "nominate") and rnd.state == "open",
        },
    )


@login_required
@require_POST
def quota_set(request, pk):
    rnd = _round(request, pk)
    if not _manages(request.user, rnd.unit):
        raise Http404("Không tìm thấy.")
    form = QuotaForm(request.POST)
    if form.is_valid():
        try:
            quota = services.quota_set(actor=request.user, round=rnd, **form.cleaned_data)
            messages.success(request, f"Đã phân bổ {quota.total} suất {quota.form.name}.")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    else:
        messages.error(request, "Chỉ tiêu không hợp lệ: " + "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("awards:round", rnd.pk)


@login_required
@require_POST
def share_adjust(request, pk):
    shares = Share.objects.select_related("quota__round__unit", "unit", "quota__form")
    share = scoping.get_or_404(scoping.in_scope(request.user, shares, "quota__round__unit_path"), pk=pk)
    if not _manages(request.user, share.quota.round.unit):
        raise Http404("Không tìm thấy.")
    form = ShareAdjustForm(request.POST)
    if form.is_valid():
        try:
            services.share_adjust(actor=request.user, share=share, **form.cleaned_data)
            messages.success(request, f"Đã điều chỉnh suất của {share.unit}.")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    else:
        messages.error(request, "Ghi số suất và lý do điều chỉnh.")
    return redirect("awards:round", share.quota.round_id)


@login_required
def nominate(request, pk):
    rnd = _round(request, pk)
    scoping.require(request.user, "nominate")
    units = scoping.units(request.user).filter(parent=rnd.unit).order_by("path")
    members = members_access.members(request.user).filter(status=MemberStatus.ACTIVE).select_related("unit")
    form = NominationForm(request.POST or None, request.FILES or None, units=units, members=members)
    form.fields["nominee_unit"].queryset = scoping.units(request.user).order_by("path")
    form.fields["form"].queryset = form.fields["form"].queryset.filter(quota__round=rnd)

    def action(data):
        return services.nominate(
            actor=request.user,
            round=rnd,
            form=data["form"],
            unit=data["unit"],
            member=data["member"],
            nominee_unit=data["nominee_unit"],
            summary=data["summary"],
            attachment=data.get("attachment"),
        )

    nomination = submit(request, form, action, done="Đã lập đề nghị khen thưởng.")
    if nomination:
        return redirect("awards:nomination", nomination.pk)
    return render(
        request,
        "awards/form.html",
        {"form": form, "title": f"Đề nghị khen thưởng – {rnd}", "multipart": True, "back": rnd},
    )


def _nomination(request, pk) -> Nomination:
    """A nomination is seen by its unit's subtree and by the round's organiser."""
    qs = selectors.nominations(request.user).select_related(
        "round__unit", "round__movement", "form", "member", "nominee_unit", "unit"
    )
    return scoping.get_or_404(qs, pk=pk)


@login_required
def nomination_detail(request, pk):
    nomination = _nomination(request, pk)
    manages = _manages(request.user, nomination.round.unit)
    return render(
        request,
        "awards/nomination.html",
        {
            "n": nomination,
            "manages": manages,
            "own": scoping.can(request.user, "nominate") and scoping.unit_in_scope(request.user, nomination.unit),
            "events": nomination.events.select_related("actor"),
            "vote_form": VoteForm(),
            "history": AwardRecord.objects.filter(member=nomination.member)
            if nomination.member_id
            else AwardRecord.objects.filter(unit=nomination.nominee_unit),
        },
    )


@login_required
@require_POST
def nomination_move(request, pk):
    nomination = _nomination(request, pk)
    try:
        services.transition(
            actor=request.user, nomination=nomination, to=request.POST.get("to", ""), note=request.POST.get("note", "")
        )
        messages.success(request, "Đã chuyển trạng thái.")
    except ValueError:
        messages.error(request, "Trạng thái không hợp lệ.")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("awards:nomination", nomination.pk)


@login_required
@require_POST
def nomination_vote(request, pk):
    nomination = _nomination(request, pk)
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            n = services.record_vote(actor=request.user, nomination=nomination, **form.cleaned_data)
            messages.success(request, f"Kết quả: {n.get_state_display()}.")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.error(request, "Số phiếu không hợp lệ.")
    return redirect("awards:nomination", nomination.pk)


@login_required
@require_POST
def decision_issue(request, pk):
    rnd = _round(request, pk)
    if not _manages(request.user, rnd.unit):
        raise Http404("Không tìm thấy.")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            d = services.decision_issue(actor=request.user, round=rnd, **form.cleaned_data)
            messages.success(request, f"Đã ban hành {d}.")
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    else:
        problems = "; ".join(
            f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items() if f in form.fields
        )
        messages.error(request, f"Chưa ban hành được: {problems}")
    return redirect("awards:round", rnd.pk)


def _decision(request, pk) -> Decision:
    return scoping.get_or_404(selectors.decisions(request.user), pk=pk)


@login_required
def decision_docx(request, pk):
    decision = _decision(request, pk)
    response = HttpResponse(
        documents.decision_docx(decision),
        content_type=DOCX_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="quyet-dinh-{decision.seq}-{decision.year}.docx"'
    return response


@login_required
def member_history(request, pk):
    member = scoping.get_or_404(members_access.members(request.user), pk=pk)
    return render(
        request,
        "awards/history.html",
        {
            "subject": member,
            "records": AwardRecord.objects.filter(member=member).select_related("form"),
            "ratings": MemberRating.objects.filter(member=member).select_related("movement").order_by("year"),
            "registration_years": registration.member_years(member),
        },
    )


@login_required
def unit_history(request, pk):
    unit = scoping.get_or_404(scoping.units(request.user), pk=pk)
    return render(
        request,
        "awards/history.html",
        {
            "subject": unit,
            "records": AwardRecord.objects.filter(unit=unit).select_related("form"),
            "unit_ratings": UnitRating.objects.filter(unit=unit).select_related("movement").order_by("year"),
        },
    )


@login_required
def statistics(request):
    """Awards by group beside each group's share of members (the fairness table)."""
    scoping.require(request.user, "view")
    records = scoping.in_scope(request.user, AwardRecord.objects.all())
    units = {u.path: u for u in scoping.units(request.user).select_related("group")}
    by_group: dict[str, list[int]] = {}

    def group_of(path):
        for end in range(len(path), 0, -4):
            u = units.get(path[:end])
            if u is not None and u.group_id:
                return u.group.name
        return "Chưa xếp khối"

    for path in records.values_list("unit_path", flat=True):
        by_group.setdefault(group_of(path), [0, 0])[0] += 1
    for path in (
        members_access.members(request.user).filter(status=MemberStatus.ACTIVE).values_list("unit_path", flat=True)
    ):
        by_group.setdefault(group_of(path), [0, 0])[1] += 1
    total_awards = sum(v[0] for v in by_group.values()) or 1
    total_members = sum(v[1] for v in by_group.values()) or 1
    rows = [
        (g, a, m, round(100 * a / total_awards, 1), round(100 * m / total_members, 1))
        for g, (a, m) in sorted(by_group.items())
    ]
    by_form = records.values("form__name", "year").annotate(n=Count("id")).order_by("year", "form__name")
    return render(request, "awards/statistics.html", {"rows": rows, "by_form": by_form})
