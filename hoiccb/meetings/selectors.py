"""Scoped reads of meetings and tasks."""

import datetime

from django.db.models import Case, IntegerField, Q, Value, When

from hoiccb.accounts import scoping
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings.models import Delegate, Guest, Meeting, Task, TaskStatus

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
