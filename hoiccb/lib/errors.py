"""Vietnamese error pages in every mode.

In production Django renders templates/404.html, 403.html and 500.html itself (403 also
under DEBUG). Under DEBUG (``make run``) it shows its English technical 404 page instead,
which a clerk trying the demo takes for a crash: this middleware puts the Vietnamese page
in its place. The technical 500 page stays under DEBUG: it is the developer's traceback.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.template import loader

# A sentence of Django's technical 404 page (django/views/templates/technical_404.html).
TECHNICAL_404 = b"seeing this error because you have"


class VietnameseErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "streaming", False)
            and TECHNICAL_404 in response.content
        ):
            return HttpResponseNotFound(loader.render_to_string("404.html", {}, request=request))
        return response
