"""Scoped reads of meetings and tasks."""

import datetime

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings.models import Allotment, Delegate, Guest, Meeting, Task, TaskStatus
from hoiccb.members import access as members_access
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit, UnitStatus

CHECKIN_LIMIT = 30


def open_first(tasks):
    """Unfinished tasks first, by deadline."""
    return tasks.annotate(
        finished=Case(When(status=TaskStatus.DONE, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("finished", "deadline", "id")


def my_tasks(user):
    """The tasks given to the user or where they help (a committee member's "my tasks")."""
    helped = Task.helpers.through.objects.filter(user=user).values("task_id")
    tasks = Task.objects.filter(Q(assignee=user) | Q(pk__in=helped)).select_related("meeting", "assignee")
    return open_first(tasks)


def late_tasks(user, on: datetime.date):
    """Unfinished tasks past their deadline that the user may follow."""
    return (
        meetings_access.meeting_tasks(user)
        .filter(deadline__lt=on)
        .exclude(status=TaskStatus.DONE)
        .select_related("meeting", "assignee")
        .order_by("deadline", "id")
    )


def blocked_tasks(user):
    return (
        meetings_access.meeting_tasks(user)
        .filter(status=TaskStatus.BLOCKED)
        .select_related("meeting", "assignee")
        .order_by("deadline", "id")
    )


def checkin_search(meeting: Meeting, query: str, limit: int = CHECKIN_LIMIT) -> tuple[list, list]:
    """Delegates and guests whose name (or unit, organisation) contains every typed word, accents optional."""
    delegates = Delegate.objects.filter(meeting=meeting).select_related("allotment__unit")
    guests = Guest.objects.filter(meeting=meeting)
    for word in normalize_search(query).split():
        delegates = delegates.filter(search_text__contains=word)
        guests = guests.filter(search_text__contains=word)
    return list(guests.order_by("name")[:limit]), list(delegates.order_by("full_name")[:limit])


def meeting_for(user, pk):
    return scoping.get_or_404(meetings_access.meetings(user).select_related("unit"), pk=pk)


def meeting_list(user: User) -> QuerySet[Meeting]:
    """Return the meetings the user may see, latest first, each with its number of tasks."""
    return (
        meetings_access.meetings(user)
        .select_related("unit")
        .annotate(task_count=Count("tasks", distinct=True))
        .order_by("-starts_at", "-id")
    )


def allotments(user: User, meeting: Meeting, *, manage: bool) -> QuerySet[Allotment]:
    """Return the meeting's places by unit with the number of delegates named; all of them to a manager."""
    rows = meeting.allotments.select_related("unit").annotate(named=Count("delegates"))
    return rows if manage else scoping.in_scope(user, rows)


def meeting_tasks(user: User, meeting: Meeting) -> QuerySet[Task]:
    """Return the meeting's tasks the user may follow, unfinished first."""
    return open_first(meetings_access.meeting_tasks(user).filter(meeting=meeting).select_related("assignee"))


def allotment_units(meeting: Meeting) -> list[Unit]:
    """Return the active units directly below the organiser, which receive places."""
    return list(Unit.objects.filter(parent=meeting.unit, status=UnitStatus.ACTIVE).order_by("name"))


def current_allotments(meeting: Meeting) -> dict[int, Allotment]:
    """Return the meeting's allotments by unit id, each with the number of delegates named."""
    return {a.unit_id: a for a in meeting.allotments.annotate(named=Count("delegates"))}


def delegate_candidates(user: User, allotment: Allotment, query: str, limit: int = 20) -> list[Member]:
    """Return the active members of the allotment's unit subtree whose name holds every typed word."""
    found = members_access.members(user).filter(status=MemberStatus.ACTIVE, unit_path__startswith=allotment.unit.path)
    for word in normalize_search(query).split():
        found = found.filter(search_text__contains=word)
    return list(found.select_related("unit").order_by("id")[:limit])


def member_for(user: User, raw: str) -> Member | None:
    """Return the member the user may see with the posted id, or None."""
    return members_access.members(user).filter(pk=int(raw)).first() if raw.isdigit() else None
