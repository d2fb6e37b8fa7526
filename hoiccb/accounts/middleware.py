import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse

from hoiccb.accounts import twofactor
from hoiccb.accounts.idle import LAST_SEEN, TOUCH_SECONDS


class HtmxLoginRedirectMiddleware:
    """Turn a redirect to the login page into HX-Redirect for htmx requests.

    Otherwise htmx follows the redirect and pastes the whole login page into the
    results area of the page whose session just expired.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
        return response


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on every page shown to a login.

    Pages behind the login carry personal data (members, CCCD, gifts to households): no browser
    or proxy cache may keep them. Static files are served earlier by WhiteNoise, cached as usual.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


class IdleTimeoutMiddleware:
    """End the session of a role that sees sensitive data after SENSITIVE_IDLE_SECONDS without a request.

    The time of the last request is kept in the session (accounts.idle), rewritten at most every
    TOUCH_SECONDS so that a busy clerk's pages do not each write the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and twofactor.is_sensitive(user):
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > settings.SENSITIVE_IDLE_SECONDS:
                logout(request)
                query = urlencode({"next": request.get_full_path(), "idle": "1"})
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")
            if last is None or now - last >= TOUCH_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


# Views a login that still owes its second step may open: the step itself, enrolment, logging out.
SECOND_STEP_VIEWS = frozenset({"logout", "accounts:verify", "accounts:second_factor"})


class _LoginGate:
    """Send a signed-in login that still owes a step to that step's page before any other page.

    Public pages and the views in `open_views` (the step itself, logging out) stay open.
    """

    open_views: frozenset[str] = frozenset()

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def owed(self, request) -> str | None:
        """Return the name of the view of the step the login owes, None when it owes nothing."""
        raise NotImplementedError

    def process_view(self, request, view_func, view_args, view_kwargs):
        public = not getattr(view_func, "login_required", True)
        if public or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in self.open_views:
            return None
        target = self.owed(request)
        if target is None:
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse(target)}?{query}")


class SecondFactorMiddleware(_LoginGate):
    """Send a login that must pass the second step (accounts.twofactor.is_required) to it before any page.

    Without a confirmed app device yet, it goes to enrolment instead.
    """

    open_views = SECOND_STEP_VIEWS

    def owed(self, request) -> str | None:
        user = request.user
        if twofactor.is_verified(request) or not twofactor.is_required(user):
            return None
        return "accounts:verify" if twofactor.has_app(user) else "accounts:second_factor"


# Views a login that owes a new password may open: the change itself, the second step, logging out.
PASSWORD_CHANGE_VIEWS = SECOND_STEP_VIEWS | {"accounts:password_change"}


class PasswordChangeMiddleware(_LoginGate):
    """Send a login holding a one-time password (`must_change_password`) to change it before any page."""

    open_views = PASSWORD_CHANGE_VIEWS

    def owed(self, request) -> str | None:
        return "accounts:password_change" if request.user.must_change_password else None
