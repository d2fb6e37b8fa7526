"""Reads behind the awards documents: a decision's list, the forms and nominations of an upward
dossier, a decision's certificates job."""

import datetime

from django.db.models import Count, Q, QuerySet

from hoiccb.awards.documents.models import CertificateJob, CitationUse, LegalCitation
from hoiccb.awards.rounds.models import SENT_UP_STATES, AwardForm, Decision, Nomination, Round
from hoiccb.lib.vietnamese import collation_key, name_sort_key
from hoiccb.org.selectors import place_of, place_on_record


def nomination_order(n: Nomination):
    """Sort key of a list: the proposing unit's place in the tree, then the Vietnamese order of the name."""
    if n.member is not None:
        return (n.unit.path, name_sort_key(n.member.ho, n.member.chu_dem, n.member.ten))
    return (n.unit.path, collation_key(n.collective.name))


def recipients(decision: Decision) -> list[Nomination]:
    """The decision's list, sorted by unit, then by Vietnamese collation of the given name and full name."""
    rows = Nomination.objects.filter(decision=decision).select_related("member", "nominee_unit", "unit")
    return sorted(rows, key=nomination_order)


def upward_forms(round: Round) -> list[tuple[AwardForm, int]]:
    """The forms of the round with nominations sent (or to send) upward, and how many each."""
    counts = dict(
        Nomination.objects.filter(round=round, state__in=SENT_UP_STATES)
        .values("form")
        .annotate(n=Count("id"))
        .values_list("form", "n")
    )
    return [(form, counts[form.pk]) for form in AwardForm.objects.filter(pk__in=counts)]


def upward_nominations(round: Round, form: AwardForm) -> list[Nomination]:
    """The nominations sent (or to send) upward, answered or not, by unit, then by Vietnamese name order."""
    rows = Nomination.objects.filter(round=round, form=form, state__in=SENT_UP_STATES).select_related(
        "member", "nominee_unit", "unit"
    )
    return sorted(rows, key=nomination_order)


def forms_issued_above() -> QuerySet[AwardForm]:
    """The forms a higher level issues (those of an upward dossier)."""
    return AwardForm.objects.exclude(level="khoi")


def default_place(round: Round) -> str:
    """The place of the round's unit (its own or its nearest ancestor's), else the one written on
    its last decision, else settings.DOCUMENT_DEFAULT_PLACE."""
    if recorded := place_on_record(round.unit):
        return recorded
    last = Decision.objects.filter(unit=round.unit).order_by("-issued_on", "-pk").first()
    return last.place if last else place_of(round.unit)


def job_of(decision: Decision) -> CertificateJob | None:
    return CertificateJob.objects.filter(decision=decision).select_related("requested_by").first()


def citations(on: datetime.date | None, use: str) -> list[str]:
    """The legal texts in force on the signing date for a kind of document (`CitationUse`), in order.

    Without a date (a tờ trình not yet numbered) the texts in force today.
    """
    on = on or datetime.date.today()
    rows = LegalCitation.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on, applies_to__in=[CitationUse.ALL, use]
    )
    return [row.text for row in rows]


ACHIEVEMENT_CHARS = 220


def achievement(n: Nomination) -> str:
    """The line under the name: the first line of the nominee's own achievement summary, cut at a word
    near `ACHIEVEMENT_CHARS`."""
    first = next((line.strip() for line in n.summary.splitlines() if line.strip()), "")
    first = first.rstrip(".;,")
    if len(first) > ACHIEVEMENT_CHARS:
        first = first[:ACHIEVEMENT_CHARS].rsplit(" ", 1)[0] + "…"
    if not first:
        return "Đã có thành tích xuất sắc"
    if first.lower().startswith(("đã ", "có ")):
        return first[0].upper() + first[1:]
    return f"Đã có thành tích: {first[0].lower() + first[1:]}"
