"""Pages of the yearly registration (đăng ký thi đua): the units of a movement for a year, and a
unit's registration with its exceptions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hoiccb.accounts import scoping
from hoiccb.awards.movements.views import chosen_year, movement_or_404
from hoiccb.awards.registration import selectors, services
from hoiccb.awards.registration.models import Registration
from hoiccb.lib.search import search_param
from hoiccb.lib.views import submit


def _messages_of(exc) -> str:
    return "; ".join(getattr(exc, "messages", None) or [str(exc)])


@login_required
def registrations(request, pk):
    """Every grassroots unit of the user's scope for a movement and year: registered or not, and the totals."""
    movement = movement_or_404(request, pk)
    year = chosen_year(request, movement)
    units_qs = selectors.registrable_units(request.user, movement)
    can_register = scoping.can(request.user, "manage_awards")
    if request.method == "POST":
        if not can_register:
            raise Http404("Không tìm thấy.")
        unit = scoping.get_or_404(units_qs.select_related("kind"), pk=request.POST.get("unit"))
        registered = submit(
            request,
            None,
            lambda _: services.register(actor=request.user, movement=movement, unit=unit, year=year),
            done=f"{unit} đã đăng ký thi đua năm {year}: tất cả hội viên cùng đăng ký.",
        )
        if registered and unit.pk == request.user.unit_id:  # the chair goes on to name the exceptions
            return redirect("awards:registration", registered.pk)
        return redirect(f"{request.path}?year={year}")
    rows, totals = selectors.unit_rows(movement, year, list(units_qs.order_by("path")))
    return render(
        request,
        "awards/registrations.html",
        {"movement": movement, "year": year, "rows": rows, "totals": totals, "can_register": can_register},
    )


def _registration(request, pk, *, manage: bool = False) -> Registration:
    """The registration of a unit in the user's scope (404 outside it, or without the right to change it)."""
    if manage:
        scoping.require(request.user, "manage_awards")
    return scoping.get_or_404(selectors.registrations(request.user), pk=pk)


def _detail_context(request, reg: Registration, query: str) -> dict:
    exceptions = selectors.exceptions_by_member(reg)
    people = selectors.people(request.user, reg, query)
    rows, _totals = selectors.unit_rows(reg.movement, reg.year, [reg.unit])
    return {
        "reg": reg,
        "q": query,
        "people": people[: selectors.SEARCH_LIMIT],
        "more": len(people) > selectors.SEARCH_LIMIT,
        "exceptions": exceptions,
        "row": rows[0],
        "manages": scoping.can(request.user, "manage_awards"),
    }


@login_required
def registration_detail(request, pk):
    """A unit's registration: its members with a search, and the exceptions with their reasons."""
    reg = _registration(request, pk)
    context = _detail_context(request, reg, search_param(request))
    if request.headers.get("HX-Request"):
        return render(request, "awards/_registration_people.html", context)
    return render(request, "awards/registration.html", context)


@login_required
@require_POST
def registration_member(request, pk):
    """Leave a member out of the registration (with a reason), or take them back in."""
    reg = _registration(request, pk, manage=True)
    member = scoping.get_or_404(
        selectors.unit_members(request.user, reg).select_related("unit"), pk=request.POST.get("member")
    )
    include = request.POST.get("action") == "include"
    # Not `submit`: an htmx request gets the member's row back with the outcome in it, not a flashed message.
    try:
        if include:
            services.include_member(actor=request.user, registration=reg, member=member)
            done = f"{member.full_name} đăng ký thi đua cùng đơn vị."
        else:
            services.except_member(
                actor=request.user, registration=reg, member=member, reason=request.POST.get("reason", "")
            )
            done = f"{member.full_name} không đăng ký thi đua năm {reg.year}."
    except (ValidationError, PermissionDenied) as exc:
        error, done = _messages_of(exc), ""
    else:
        error = ""
    query = request.POST.get("q", "")
    if request.headers.get("HX-Request"):
        context = _detail_context(request, reg, query)
        context.update(m=member, error=error, done=done, oob=True)
        return render(request, "awards/_registration_person.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    url = reverse("awards:registration", args=[reg.pk])
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@login_required
@require_POST
def registration_withdraw(request, pk):
    reg = _registration(request, pk, manage=True)
    movement, year, unit = reg.movement, reg.year, reg.unit

    def action(_) -> bool:
        services.withdraw(actor=request.user, registration=reg)
        return True

    if not submit(request, None, action, done=f"Đã hủy đăng ký thi đua năm {year} của {unit}."):
        return redirect("awards:registration", reg.pk)
    return redirect(f"{reverse('awards:registrations', args=[movement.pk])}?year={year}")
