"""What the meetings pages share: the managed meeting, services called from a POST, downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse

from hoiccb.lib.files import DOCX_TYPE
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings import selectors


def managed_meeting(request, pk):
    meeting = selectors.meeting_for(request.user, pk)
    if not meetings_access.can_manage_meeting(request.user, meeting):
        raise Http404("Không tìm thấy.")
    return meeting


def run_service(request, action, done: str) -> bool:
    """Call a service from a plain POST; a refusal becomes an error message."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, done)
    return True


def docx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def meeting_url(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])
