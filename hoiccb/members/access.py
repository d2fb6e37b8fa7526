"""Which members and list imports a user may see: the subtree of their unit (built on accounts.scoping)."""

from django.db.models import QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.members.models import Member, MemberImport
from hoiccb.org.paths import subtree_filter


def members(user: User) -> QuerySet:
    """Return the members the user may see: those of units in their subtree."""
    prefix = scoping.member_path_prefix(user)
    if prefix is None:
        return Member.objects.none()
    return Member.objects.filter(**subtree_filter("unit_path", prefix))


def member_imports(user: User) -> QuerySet:
    """Return the list imports the user may see: those made by users of their subtree."""
    root = scoping.root_unit(user)
    if root is None or not scoping.can(user, "edit_members"):
        return MemberImport.objects.none()
    return MemberImport.objects.filter(**subtree_filter("created_by__unit__path", root.path))
