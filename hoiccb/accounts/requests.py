"""The request of a view behind login."""

from django.http import HttpRequest

from hoiccb.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request on a non-public view: LoginRequiredMiddleware has made sure its user is a User.

    Only an annotation for views' `request`; Django never builds one.
    """

    user: User
