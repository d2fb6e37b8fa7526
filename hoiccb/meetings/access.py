"""Which meetings and tasks a user may see or manage (built on accounts.scoping)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.meetings.models import Allotment, Meeting, Task
from hoiccb.org.paths import subtree_filter


def meetings(user: User) -> QuerySet:
    """Meetings of the user's subtree, those giving places to a unit of it, and those where the user has a task."""

    root = scoping.root_unit(user)
    if root is None:
        return Meeting.objects.none()
    allotted = Allotment.objects.filter(**subtree_filter("unit_path", root.path)).values("meeting_id")
    tasked = Task.objects.filter(Q(assignee=user) | Q(helpers=user)).values("meeting_id")
    return Meeting.objects.filter(
        Q(**subtree_filter("unit_path", root.path)) | Q(pk__in=allotted) | Q(pk__in=tasked)
    ).distinct()


def meeting_tasks(user: User) -> QuerySet:
    """Tasks given to the user (or where they help), plus every task of the subtree for those who prepare meetings."""

    root = scoping.root_unit(user)
    if root is None:
        return Task.objects.none()
    own = Q(assignee=user) | Q(pk__in=Task.helpers.through.objects.filter(user=user).values("task_id"))
    if scoping.can(user, "manage_meetings"):
        own |= Q(**subtree_filter("unit_path", root.path))
    return Task.objects.filter(own)


def can_manage_meeting(user: User, meeting) -> bool:
    return scoping.can(user, "manage_meetings") and scoping.unit_in_scope(user, meeting.unit)


OUT_OF_SCOPE = "Hội nghị nằm ngoài phạm vi của bạn."


def require_manage(user: User, meeting) -> None:
    """Raise PermissionDenied unless the user prepares meetings of the meeting's unit."""
    if not can_manage_meeting(user, meeting):
        raise PermissionDenied(OUT_OF_SCOPE)
