"""Which articles and directives a user may see or manage (built on accounts.scoping).

The public's view of articles is not unit-scoped: it is news.selectors.public_articles.
"""

from django.db.models import Q, QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.news.models import Article, Directive, DirectiveReceipt
from hoiccb.org.paths import subtree_filter


def articles(user: User) -> QuerySet:
    """Return the articles, in every state, of the units in the user's subtree (for writers)."""
    root = scoping.root_unit(user)
    if root is None or not scoping.can(user, "write_news"):
        return Article.objects.none()
    return Article.objects.filter(**subtree_filter("unit__path", root.path))


def directives(user: User) -> QuerySet:
    """Return the directives issued by a unit of the user's subtree or sent to one of its units."""

    root = scoping.root_unit(user)
    if root is None or not scoping.can(user, "view"):
        return Directive.objects.none()
    received = DirectiveReceipt.objects.filter(**subtree_filter("unit__path", root.path)).values("directive_id")
    return Directive.objects.filter(Q(**subtree_filter("issuing_unit__path", root.path)) | Q(pk__in=received))


def can_manage_directive(user: User, directive) -> bool:
    """The issuing side (its unit or above, with the capability) sees receipts and reminds."""
    return scoping.can(user, "issue_directives") and scoping.unit_in_scope(user, directive.issuing_unit)
