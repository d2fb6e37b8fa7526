"""Scoped reads of periods and reports."""

from django.db.models import QuerySet

from hoiccb.accounts.models import User
from hoiccb.org.models import Unit
from hoiccb.reports import access as reports_access
from hoiccb.reports.figures import Figure, catalogue
from hoiccb.reports.models import Period, PeriodException, UnitReport, ValidationRule
from hoiccb.reports.rules import Rule, Violation, builtin_rules, evaluate


def periods() -> QuerySet[Period]:
    # Periods are the installation's calendar, not unit-owned data: every user sees them.
    return Period.objects.prefetch_related("deadlines")


def reports(user: User) -> QuerySet[UnitReport]:
    return reports_access.reports(user).select_related("period", "unit", "unit__kind")


def own_reports(unit: Unit, periods: list[Period]) -> dict[int, UnitReport]:
    """Return the unit's own reports of these periods, by period id."""
    return {r.period_id: r for r in UnitReport.objects.filter(unit=unit, period__in=periods)}


def own_exceptions(unit: Unit, periods: list[Period]) -> dict[int, PeriodException]:
    """Return the latest exception granted to the unit in each of these periods, by period id."""
    latest: dict[int, PeriodException] = {}
    for exception in PeriodException.objects.filter(unit=unit, period__in=periods).order_by("granted_at", "id"):
        latest[exception.period_id] = exception
    return latest


def figure_sections(report: UnitReport) -> list[tuple[str, list[tuple[Figure, int, int | None]]]]:
    """Return [(section, [(figure, value as reported, computed value if corrected else None)])]."""
    sections: dict[str, list] = {}
    for figure in catalogue():
        edited = figure.code in report.edited
        computed = report.computed.get(figure.code, 0) if edited and figure.computed else None
        sections.setdefault(figure.section, []).append((figure, report.value(figure.code), computed))
    return list(sections.items())


def rules(figures: list[Figure] | None = None) -> list[Rule]:
    """Return the built-in rules, then the active ones an administrator added."""
    added = [
        Rule(r.left, r.operator, r.right, r.message, builtin=False) for r in ValidationRule.objects.filter(active=True)
    ]
    return [*builtin_rules(figures), *added]


def violations(report: UnitReport) -> list[Violation]:
    """Return the rules the report's figures (as reported, corrections included) break."""
    figures = catalogue()
    return evaluate(report.values(), rules(figures), figures)
