"""Pages of movements: launching one, its units' score sheet for a year, and rating a unit's members."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from hoiccb.accounts import scoping
from hoiccb.awards.access import can_manage_awards
from hoiccb.awards.movements import selectors, services
from hoiccb.awards.movements.forms import MovementForm
from hoiccb.awards.movements.models import Movement
from hoiccb.lib.views import submit
from hoiccb.org.models import Unit


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


def movement_or_404(request, pk) -> Movement:
    # A chair takes part in the movements launched above them: they read its criteria and
    # rate their own members; scores and pages below stay limited to their own units.
    return scoping.get_or_404(selectors.movements_for(request.user).select_related("unit"), pk=pk)


def chosen_year(request, movement: Movement) -> int:
    """The year asked for (?year= or a posted year) if the movement covers it, else its last year."""
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or movement.end_year)
    except ValueError:
        year = movement.end_year
    return year if year in movement.years else movement.end_year


@login_required
def movement_detail(request, pk):
    """The movement's bands and a year's score sheet of the units in the user's scope."""
    movement = movement_or_404(request, pk)
    year = chosen_year(request, movement)
    units = selectors.scored_units(request.user)
    ratings = selectors.unit_ratings(movement, year, units)
    can_rate = can_manage_awards(request.user, movement.unit)
    # The sheet has one score field per unit and no Form: a score that is not a number is caught
    # here, the service's refusal by `submit`; both go to messages and the sheet shows again.
    if request.method == "POST":
        if not can_rate:
            raise Http404("Không tìm thấy.")
        scores: dict[Unit, Decimal | None] = {}
        errors: list[str] = []
        for unit in units:
            raw = request.POST.get(f"score_{unit.pk}", "").strip().replace(",", ".")
            if not raw:
                scores[unit] = None
                continue
            try:
                scores[unit] = Decimal(raw)
            except InvalidOperation:
                errors.append(f"{unit}: «{raw}» không phải là số.")
        for e in errors:
            messages.error(request, e)
        saved = None
        if not errors:
            saved = submit(
                request,
                None,
                lambda _: services.unit_ratings_save(actor=request.user, movement=movement, year=year, scores=scores),
                done=lambda n: f"Đã lưu điểm của {n} đơn vị năm {year}.",
            )
        if saved is not None:  # a count, 0 included
            return redirect(f"{request.path}?year={year}")
    rows = [(u, ratings.get(u.pk)) for u in units]
    return render(
        request,
        "awards/movement.html",
        {"movement": movement, "year": year, "rows": rows, "can_rate": can_rate, "bands": movement.bands.all()},
    )


@login_required
def member_ratings(request, pk):
    """Rate a unit's members for a year in one table: tick the CCB gương mẫu."""
    movement = movement_or_404(request, pk)
    year = chosen_year(request, movement)
    units = selectors.units_with_members(request.user)
    unit = None
    if request.GET.get("unit") or request.POST.get("unit"):
        unit = scoping.get_or_404(units, pk=request.GET.get("unit") or request.POST.get("unit"))
    people, ticked = [], set()
    if unit is not None:
        people = selectors.active_members(unit)
        ticked = selectors.exemplary_ids(movement, year, people)
        # The ticks are a list of checkboxes with no Form: a refusal goes to messages, the table shows again.
        if request.method == "POST":
            chosen = {int(x) for x in request.POST.getlist("exemplary") if x.isdigit()}
            rated = submit(
                request,
                None,
                lambda _: services.member_ratings_save(
                    actor=request.user, movement=movement, unit=unit, year=year, exemplary_ids=chosen
                ),
                done=lambda n: f"Đã bình xét {n} hội viên năm {year}.",
            )
            if rated is not None:
                return redirect(f"{request.path}?unit={unit.pk}&year={year}")
    return render(
        request,
        "awards/member_ratings.html",
        {"movement": movement, "year": year, "units": units, "unit": unit, "people": people, "ticked": ticked},
    )
