"""Pages of meetings: thin views over forms, services and selectors."""

from pathlib import PurePath
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.accounts import scoping
from hoiccb.lib import paging
from hoiccb.lib.files import serve_upload
from hoiccb.lib.forms import today
from hoiccb.lib.pdf_jobs import pdf_view
from hoiccb.lib.search import search_param
from hoiccb.lib.views import submit
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings import docs, forms, selectors, services
from hoiccb.meetings import places as meeting_places
from hoiccb.meetings.models import AgendaItem, Allotment, Delegate, Guest, Meeting, MeetingDocument
from hoiccb.meetings.view_helpers import docx_response, managed_meeting, meeting_url
from hoiccb.org.models import Unit

# --- Meetings -----------------------------------------------------------------------------------


def meeting_list(request):
    context = {
        "meetings": paging.offset_page(request, selectors.meeting_list(request.user), noun="hội nghị"),
        "can_create": scoping.can(request.user, "manage_meetings"),
        "my_open": selectors.my_tasks(request.user).exclude(status="done").count(),
    }
    return render(request, "meetings/list.html", context)


@require_http_methods(["GET", "POST"])
def meeting_create(request):
    scoping.require(request.user, "manage_meetings")
    form = forms.MeetingForm(request.POST or None, user=request.user)
    meeting = submit(
        request,
        form,
        lambda data: services.meeting_create(actor=request.user, unit=data["unit"], **form.service_fields()),
        done="Đã tạo hội nghị.",
    )
    if meeting:
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    meeting = managed_meeting(request, pk)
    form = forms.MeetingForm(request.POST or None, user=request.user, meeting=meeting)
    if submit(
        request,
        form,
        lambda data: services.meeting_update(actor=request.user, meeting=meeting, **form.service_fields()),
        done="Đã lưu.",
    ):
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


def meeting_detail(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    manage = meetings_access.can_manage_meeting(request.user, meeting)
    context = {
        "meeting": meeting,
        "manage": manage,
        "agenda": meeting.agenda.all(),
        "allotments": selectors.allotments(request.user, meeting, manage=manage),
        "guests": meeting.guests.all() if manage else [],
        "tasks": selectors.meeting_tasks(request.user, meeting),
        "conclusions": meeting.conclusions.select_related("owner", "task") if manage else [],
        "documents": meeting.documents.all() if manage else [],
        "counts": meeting_places.attendance(meeting),
        "today": today(),
        "agenda_form": forms.AgendaForm(),
        "guest_form": forms.GuestForm(),
        "minutes_form": forms.MinutesForm(initial={"minutes": meeting.minutes}),
        "conclusion_form": forms.ConclusionForm(meeting=meeting) if manage else None,
        "document_form": forms.DocumentForm(),
        "checklist_form": forms.ChecklistForm(meeting=meeting, initial={"assignee": request.user}) if manage else None,
        "reply_choices": forms.Reply.choices,
    }
    return render(request, "meetings/detail.html", context)


# --- Agenda and programme -------------------------------------------------------------------------


@require_POST
def agenda_add(request, pk: int):
    meeting = managed_meeting(request, pk)
    submit(
        request,
        forms.AgendaForm(request.POST),
        lambda data: services.agenda_add(actor=request.user, meeting=meeting, **data),
        done="Đã thêm.",
        flash_errors=True,
    )
    return redirect(f"{meeting_url(meeting)}#chuong-trinh")


@require_POST
def agenda_remove(request, pk: int):
    item = scoping.get_or_404(AgendaItem.objects.filter(meeting__in=meetings_access.meetings(request.user)), pk=pk)
    meeting = managed_meeting(request, item.meeting_id)
    submit(
        request,
        None,
        lambda _: services.agenda_remove(actor=request.user, item=item),
        done="Đã bỏ mục chương trình.",
        flash_errors=True,
    )
    return redirect(f"{meeting_url(meeting)}#chuong-trinh")


def programme_docx(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    return docx_response(docs.programme(meeting), f"chuong-trinh-{meeting.pk}.docx")


def programme_pdf(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    return pdf_view(
        request,
        docs.programme(meeting),
        f"chuong-trinh-{meeting.pk}.pdf",
        title=f"Chương trình {meeting.title}",
        back=f"{meeting_url(meeting)}#chuong-trinh",
    )


def conclusions_docx(request, pk: int):
    """THÔNG BÁO KẾT LUẬN of the meeting (its managers only, like the conclusions on the page)."""
    meeting = managed_meeting(request, pk)
    return docx_response(docs.conclusions(meeting), f"thong-bao-ket-luan-{meeting.pk}.docx")


def conclusions_pdf(request, pk: int):
    """THÔNG BÁO KẾT LUẬN as PDF, for printing and signing (its managers only)."""
    meeting = managed_meeting(request, pk)
    return pdf_view(
        request,
        docs.conclusions(meeting),
        f"thong-bao-ket-luan-{meeting.pk}.pdf",
        title=f"Thông báo kết luận {meeting.title}",
        back=f"{meeting_url(meeting)}#ket-luan",
    )


# --- Places and delegates -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def allotment(request, pk: int):
    meeting = managed_meeting(request, pk)
    units = selectors.allotment_units(meeting)
    current = selectors.current_allotments(meeting)
    proportional = forms.ProportionalForm(request.POST if request.POST.get("mode") == "ty-le" else None)
    if request.method == "POST":
        if request.POST.get("mode") == "ty-le":
            if submit(
                request,
                proportional,
                lambda data: meeting_places.allot_proportional(actor=request.user, meeting=meeting, **data),
                done="Đã phân bổ đại biểu theo số hội viên.",
            ):
                return redirect("meetings:allotment", pk=meeting.pk)
        else:
            places: dict[Unit, int] = {}
            bad: list[str] = []
            for unit in units:
                raw = request.POST.get(f"u{unit.pk}", "").strip()
                if raw == "":
                    continue
                if not raw.isdigit():
                    bad.append(unit.name)
                    continue
                places[unit] = int(raw)
            if bad:
                messages.error(request, "Số đại biểu phải là số nguyên không âm: " + ", ".join(bad))
            elif submit(
                request,
                None,
                lambda _: meeting_places.allot(actor=request.user, meeting=meeting, places=places),
                done="Đã lưu số đại biểu.",
            ):
                return redirect("meetings:allotment", pk=meeting.pk)
    counts = meeting_places.member_counts(units)
    rows = [
        {"unit": u, "members": counts[u], "allotment": current.get(u.pk), "typed": request.POST.get(f"u{u.pk}")}
        for u in units
    ]
    context = {
        "meeting": meeting,
        "rows": rows,
        "proportional": proportional,
        "total": sum(a.places for a in current.values()),
    }
    return render(request, "meetings/allotment.html", context)


@require_http_methods(["GET", "POST"])
def delegates(request, pk: int):
    """A unit names its delegates within its places."""
    allotment = scoping.get_or_404(
        scoping.in_scope(request.user, Allotment.objects.select_related("unit", "meeting")), pk=pk
    )
    if not meeting_places.may_name_delegates(request.user, allotment):
        raise Http404("Không tìm thấy.")
    if request.method == "POST":
        member = selectors.member_for(request.user, request.POST.get("member", ""))
        if member is None:
            messages.error(request, "Chọn một hội viên trong danh sách.")
        else:
            submit(
                request,
                None,
                lambda _: meeting_places.delegate_add(actor=request.user, allotment=allotment, member=member),
                done=f"Đã cử {member.full_name}.",
            )
        return redirect("meetings:delegates", pk=allotment.pk)
    query = search_param(request)
    found = selectors.delegate_candidates(request.user, allotment, query) if query else []
    named = allotment.delegates.select_related("member__unit")
    context = {
        "allotment": allotment,
        "named": named,
        "found": found,
        "q": query,
        "left": allotment.places - len(named),
    }
    return render(request, "meetings/delegates.html", context)


@require_POST
def delegate_remove(request, pk: int):
    delegate = scoping.get_or_404(
        Delegate.objects.filter(**_allotment_scope(request.user)).select_related("allotment__unit", "meeting"), pk=pk
    )
    submit(
        request,
        None,
        lambda _: meeting_places.delegate_remove(actor=request.user, delegate=delegate),
        done="Đã bỏ đại biểu.",
    )
    return redirect("meetings:delegates", pk=delegate.allotment_id)


def _allotment_scope(user) -> dict:
    root = scoping.root_unit(user)
    if root is None:
        return {"pk__in": []}
    from hoiccb.org.paths import subtree_filter

    return subtree_filter("allotment__unit_path", root.path)


# --- Guests and invitations ---------------------------------------------------------------------


def _guest(request, pk) -> Guest:
    guest = scoping.get_or_404(
        Guest.objects.filter(meeting__in=meetings_access.meetings(request.user)).select_related("meeting__unit"), pk=pk
    )
    if not meetings_access.can_manage_meeting(request.user, guest.meeting):
        raise Http404("Không tìm thấy.")
    return guest


@require_POST
def guest_add(request, pk: int):
    meeting = managed_meeting(request, pk)
    submit(
        request,
        forms.GuestForm(request.POST),
        lambda data: meeting_places.guest_add(actor=request.user, meeting=meeting, **data),
        done="Đã thêm khách mời.",
        flash_errors=True,
    )
    return redirect(f"{meeting_url(meeting)}#khach-moi")


@require_POST
def guest_reply(request, pk: int):
    guest = _guest(request, pk)
    submit(
        request,
        None,
        lambda _: meeting_places.guest_reply(actor=request.user, guest=guest, reply=request.POST.get("reply", "")),
        done="Đã ghi trả lời.",
    )
    return redirect(f"{meeting_url(guest.meeting)}#khach-moi")


def _numbered(request, meeting: Meeting) -> Meeting:
    """The meeting with its invitation number, given now if this is the first print."""
    return services.invitation_number_give(actor=request.user, meeting=meeting)


def _guest_numbered(request, pk: int) -> Guest:
    guest = _guest(request, pk)
    guest.meeting = _numbered(request, guest.meeting)
    return guest


def invitation_docx(request, pk: int):
    guest = _guest_numbered(request, pk)
    return docx_response(docs.invitation(guest), f"giay-moi-{guest.pk}.docx")


def invitation_pdf(request, pk: int):
    """One guest's invitation as PDF, for printing and signing."""
    guest = _guest_numbered(request, pk)
    return pdf_view(
        request,
        docs.invitation(guest),
        f"giay-moi-{guest.pk}.pdf",
        title=f"Giấy mời {guest.name}",
        back=f"{meeting_url(guest.meeting)}#khach-moi",
    )


def invitations_pdf(request, pk: int):
    """Every guest's invitation in one PDF, for printing."""
    meeting = _numbered(request, managed_meeting(request, pk))
    return pdf_view(
        request,
        docs.invitations(meeting),
        f"giay-moi-hoi-nghi-{meeting.pk}.pdf",
        title=f"Giấy mời {meeting.title}",
        back=meeting_url(meeting),
    )


def invitations_docx(request, pk: int):
    meeting = _numbered(request, managed_meeting(request, pk))
    return docx_response(docs.invitations(meeting), f"giay-moi-hoi-nghi-{meeting.pk}.docx")


# --- Check-in -----------------------------------------------------------------------------------


def checkin(request, pk: int):
    meeting = managed_meeting(request, pk)
    query = search_param(request)
    guests, delegates = selectors.checkin_search(meeting, query)
    context = {
        "meeting": meeting,
        "q": query,
        "guests": guests,
        "delegates": delegates,
        "counts": meeting_places.attendance(meeting),
    }
    if request.headers.get("HX-Request"):
        return render(request, "meetings/_checkin_rows.html", context)
    return render(request, "meetings/checkin.html", context)


def _toggle(request, attendee):
    present = request.POST.get("present", "1") == "1"
    submit(
        request,
        None,
        lambda _: meeting_places.check_in(actor=request.user, attendee=attendee, present=present),
        done="Đã điểm danh." if present else "Đã bỏ điểm danh.",
    )
    if request.headers.get("HX-Request"):
        context = {
            "a": attendee,
            "meeting": attendee.meeting,
            "oob": True,
            "counts": meeting_places.attendance(attendee.meeting),
        }
        return render(request, "meetings/_checkin_row.html", context)
    return redirect(f"{reverse_checkin(attendee.meeting)}?{urlencode({'q': request.POST.get('q', '')})}")


def reverse_checkin(meeting):
    from django.urls import reverse

    return reverse("meetings:checkin", args=[meeting.pk])


@require_POST
def checkin_delegate(request, pk: int):
    delegate = scoping.get_or_404(
        Delegate.objects.filter(meeting__in=meetings_access.meetings(request.user)).select_related(
            "meeting__unit", "allotment__unit"
        ),
        pk=pk,
    )
    if not meetings_access.can_manage_meeting(request.user, delegate.meeting):
        raise Http404("Không tìm thấy.")
    return _toggle(request, delegate)


@require_POST
def checkin_guest(request, pk: int):
    return _toggle(request, _guest(request, pk))


# --- Minutes, conclusions, documents ------------------------------------------------------------


@require_POST
def minutes(request, pk: int):
    meeting = managed_meeting(request, pk)
    submit(
        request,
        forms.MinutesForm(request.POST),
        lambda data: services.minutes_save(actor=request.user, meeting=meeting, **data),
        done="Đã lưu biên bản.",
        flash_errors=True,
    )
    return redirect(f"{meeting_url(meeting)}#ket-luan")


@require_POST
def conclusion_add(request, pk: int):
    meeting = managed_meeting(request, pk)
    submit(
        request,
        forms.ConclusionForm(request.POST, meeting=meeting),
        lambda data: services.conclusion_add(actor=request.user, meeting=meeting, **data),
        done="Đã ghi kết luận và giao việc.",
        flash_errors=True,
    )
    return redirect(f"{meeting_url(meeting)}#ket-luan")


@require_POST
def document_add(request, pk: int):
    meeting = managed_meeting(request, pk)
    submit(
        request,
        forms.DocumentForm(request.POST, request.FILES),
        lambda data: services.document_add(
            actor=request.user,
            meeting=meeting,
            kind=data["kind"],
            title=data["title"],
            upload=data["upload"],
            link=data["link"],
        ),
        done="Đã thêm tài liệu.",
        flash_errors=True,
    )
    return redirect(f"{meeting_url(meeting)}#tai-lieu")


def document_file(request, pk: int):
    document = scoping.get_or_404(
        MeetingDocument.objects.filter(meeting__in=meetings_access.meetings(request.user)).select_related(
            "meeting__unit"
        ),
        pk=pk,
    )
    if not meetings_access.can_manage_meeting(request.user, document.meeting) or not document.file:
        raise Http404("Không tìm thấy.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy tệp.") from None
    return serve_upload(
        handle, stored_name=document.file.name, filename=document.title + PurePath(document.file.name).suffix
    )
