"""The sibling-unit walk's machinery: every URL pattern, and each pattern's URL built with the id
(or slug) of the victim unit's object it names.

Used by test_no_leaks.py (GET and empty POST), test_no_leaks_writes.py (forms filled in) and
test_no_leaks_bloc.py (the parent bloc's own objects). A new URL pattern with a parameter that
target_for does not know fails the walks, so every page added later is walked too. The awards
and finance parts of the maps live beside their apps (awards/tests/leaks.py, finance/tests/leaks.py).
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver

# Public pages with their own tests: a scanned card's check (valid or not, and the unit,
# members/tests/test_cards.py). Every walk leaves them out.
PUBLIC_CHECKS = {"card_verify"}


def all_patterns(patterns=None, prefix="", namespace=""):
    """Every URL pattern with its name, but Django's admin and the public checks tested on their own."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django's admin: staff only, checked by test_no_leaks.py
            ns = entry.namespace or namespace
            yield from all_patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            if entry.name in PUBLIC_CHECKS:
                continue
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}" if namespace else entry.name


PARAMETER = re.compile(r"<(int:pk|slug:slug)>")
# Public pages (no login): they may answer 200, but never with the victim's unpublished items.
# A period (reports:period) is the installation's calendar, not unit-owned: its page shows the actor's own unit.
PUBLIC_PATTERNS = {"news:category", "reports:period"}


def build_url(route: str, value) -> str:
    return "/" + PARAMETER.sub(str(value), route)


# Which of the victim's objects an activities pattern's <pk> names (the activity unless listed).
ACTIVITY_TARGETS = {
    "attachment": "attachment",
    "attachment_delete": "attachment",
    "gift_delete": "gift",
    "plan_detail": "plan",
    "delegate_add": "plan",
    "record_detail": "record",
    "record_edit": "record",
    "recommendation_add": "record",
    "follow_up": "recommendation",
}


def target_for(url_name: str, victim: dict) -> int | str:
    """Return the id (or slug) of the victim's object that a pattern's <pk> (or <slug>) names."""
    if url_name.startswith("activities:"):
        return victim[ACTIVITY_TARGETS.get(url_name.split(":")[1], "activity")].pk
    if url_name == "org:officer_end":
        return victim["position"].pk
    if url_name.startswith("members:import_row"):
        return victim["import_row"].pk
    if url_name.startswith("members:import_"):
        return victim["import"].pk
    app = url_name.split(":")[0]
    if app == "meetings":
        return victim[MEETING_TARGETS.get(url_name.split(":")[1], "meeting")].pk
    if app in ("news", "directives"):
        return news_target(url_name, victim)
    if app == "awards":
        from hoiccb.awards.tests.leaks import award_target

        return award_target(url_name, victim)
    if app == "reports":
        return reports_target(url_name, victim)
    if app == "finance":
        from hoiccb.finance.tests.leaks import finance_target

        return finance_target(url_name, victim)
    return {"org": victim["unit"], "members": victim["member"], "accounts": victim["user"]}[app].pk


def body_text(response) -> str:
    """Return what a response shows: its HTML, or every cell of a spreadsheet download."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data.startswith(b"PK"):
        import io
        import zipfile

        import python_calamine

        if "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist():
            from docx import Document

            doc = Document(io.BytesIO(data))
            cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
            return "\n".join([p.text for p in doc.paragraphs] + cells)

        sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        return "\n".join(" ".join(str(c) for c in row) for row in sheet.to_python())
    return data.decode()


NEWS_TARGETS = {"news:photo": "photo", "news:photo_remove": "photo"}


def news_target(url_name: str, victim: dict) -> int | str:
    """Return what a news or directive pattern names: a slug for <slug>, else an id."""
    if url_name == "news:article":
        return victim["article"].slug
    if url_name == "news:category":
        return victim["category"].slug
    default = "article" if url_name.startswith("news:") else "directive"
    return victim[NEWS_TARGETS.get(url_name, default)].pk


def reports_target(url_name: str, victim: dict) -> int:
    """Return the victim's period for the period page, else the victim's report."""
    return victim["period"].pk if url_name == "reports:period" else victim["report"].pk


# Which of the victim's meeting objects a meetings pattern's <pk> names (the meeting unless listed).
MEETING_TARGETS = {
    "agenda_remove": "agenda_item",
    "delegates": "allotment",
    "delegate_remove": "delegate",
    "checkin_delegate": "delegate",
    "guest_reply": "guest",
    "invitation": "guest",
    "checkin_guest": "guest",
    "task": "task",
    "task_edit": "task",
    "task_attach": "task",
    "task_file": "task_attachment",
    "document": "document",
    "election": "election",
    "candidate_add": "election",
    "list_approve": "election",
    "further_round": "election",
    "election_confirm": "election",
    "election_revert": "election",
    "count_minutes": "election",
    "count_minutes_pdf": "election",
    "announcement": "election",
    "announcement_pdf": "election",
    "candidate_remove": "candidate",
    "ballots_pdf": "round",
    "voting_close": "round",
    "counting": "round",
    "batch_open": "round",
    "round_sign": "round",
    "batch": "batch",
    "batch_count": "batch",
    "ballot_remove": "ballot",
}
