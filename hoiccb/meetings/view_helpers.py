"""What the meetings pages share: the managed meeting, downloads, links."""

from django.http import Http404, HttpResponse
from django.urls import reverse

from hoiccb.lib.files import DOCX_TYPE
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings import selectors
from hoiccb.meetings.models import Meeting


def managed_meeting(request, pk: int) -> Meeting:
    meeting = selectors.meeting_for(request.user, pk)
    if not meetings_access.can_manage_meeting(request.user, meeting):
        raise Http404("Không tìm thấy.")
    return meeting


def docx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])
