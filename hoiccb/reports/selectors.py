"""Scoped reads of periods and reports."""

from django.db.models import QuerySet

from hoiccb.accounts.models import User
from hoiccb.org.models import Unit
from hoiccb.reports import access as reports_access
from hoiccb.reports.figures import Figure, catalogue
from hoiccb.reports.models import Period, UnitReport


def periods() -> QuerySet[Period]:
    # Periods are the installation's calendar, not unit-owned data: every user sees them.
    return Period.objects.prefetch_related("deadlines")


def reports(user: User) -> QuerySet[UnitReport]:
    return reports_access.reports(user).select_related("period", "unit", "unit__kind")


def own_reports(unit: Unit, periods: list[Period]) -> dict[int, UnitReport]:
    """Return the unit's own reports of these periods, by period id."""
    return {r.period_id: r for r in UnitReport.objects.filter(unit=unit, period__in=periods)}


def figure_sections(report: UnitReport) -> list[tuple[str, list[tuple[Figure, int, int | None]]]]:
    """Return [(section, [(figure, value as reported, computed value if corrected else None)])]."""
    sections: dict[str, list] = {}
    for figure in catalogue():
        edited = figure.code in report.edited
        computed = report.computed.get(figure.code, 0) if edited and figure.computed else None
        sections.setdefault(figure.section, []).append((figure, report.value(figure.code), computed))
    return list(sections.items())
