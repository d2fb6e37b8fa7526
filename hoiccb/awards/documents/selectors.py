"""Reads behind the awards documents: a decision's list, the forms and nominations of an upward
dossier, a decision's certificates job."""

import datetime
import re

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


ACHIEVEMENT_CHARS = 220  # a certificate's line: one nominee per page, three lines at most
LIST_ACHIEVEMENT_CHARS = 100  # a decision list's cell: three or four lines of its column
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")
_TRAILING = " ,;:-–—(/"


def _first_line(summary: str) -> str:
    return next((line.strip() for line in summary.splitlines() if line.strip()), "")


def achievement(n: Nomination) -> str:
    """The certificate's line under the name: the first line of the nominee's own achievement summary,
    cut at a word near `ACHIEVEMENT_CHARS`, as a sentence ("Đã có thành tích: …")."""
    first = _first_line(n.summary).rstrip(".;,")
    if len(first) > ACHIEVEMENT_CHARS:
        first = first[:ACHIEVEMENT_CHARS].rsplit(" ", 1)[0] + "…"
    if not first:
        return "Đã có thành tích xuất sắc"
    if first.lower().startswith(("đã ", "có ")):
        return first[0].upper() + first[1:]
    return f"Đã có thành tích: {first[0].lower() + first[1:]}"


def short_achievement(summary: str, limit: int = LIST_ACHIEVEMENT_CHARS) -> str:
    """The summary's first sentence when it has at most `limit` characters; else its beginning cut
    after a whole word (at the end of a clause when one is near the limit) and "…", `limit`
    characters at most in all. Returns "" for an empty summary; no trailing comma or full stop."""
    first = _first_line(summary)
    end = _SENTENCE_END.search(first)
    sentence = first[: end.start()] if end else first
    if len(sentence) <= limit:
        return sentence.rstrip(_TRAILING + ".")
    room = limit - 1  # the "…" counts
    head = sentence[: room + 1]  # the character after the room says whether it ends between words
    clause = max(head.rfind(";"), head.rfind(","))
    if clause >= limit * 0.6:
        cut = head[:clause]
    elif " " in head:
        cut = head[: head.rfind(" ")]
    else:  # one word longer than the cell: nothing better than cutting it
        cut = sentence[:room]
    return cut.rstrip(_TRAILING + ".") + "…"


def list_achievement(n: Nomination) -> str:
    """The decision list's "Thành tích" cell: `short_achievement` of the nominee's summary, capitalised.

    Without "Đã có thành tích:" (the column's heading says it, and Article 1 already says the list
    was commended for outstanding achievement in the round), so that the cell keeps the substance.
    """
    short = short_achievement(n.summary)
    return short[0].upper() + short[1:] if short else "Có thành tích xuất sắc"
