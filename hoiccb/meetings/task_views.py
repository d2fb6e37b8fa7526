"""Preparation tasks: per meeting, my tasks, the board of late and blocked ones."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.accounts import scoping
from hoiccb.lib import paging
from hoiccb.lib.files import serve_upload
from hoiccb.lib.forms import today
from hoiccb.lib.views import submit
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings import forms, selectors, services
from hoiccb.meetings.models import Task, TaskAttachment
from hoiccb.meetings.view_helpers import managed_meeting, meeting_url

# --- Tasks --------------------------------------------------------------------------------------


def _task(request, pk) -> Task:
    return scoping.get_or_404(
        meetings_access.meeting_tasks(request.user).select_related("meeting__unit", "assignee"), pk=pk
    )


@require_http_methods(["GET", "POST"])
def task_add(request, pk: int):
    meeting = managed_meeting(request, pk)
    form = forms.TaskForm(request.POST or None, meeting=meeting, initial={"status": "todo"})
    task = submit(
        request,
        form,
        lambda data: services.task_create(actor=request.user, meeting=meeting, **data),
        done="Đã giao nhiệm vụ.",
    )
    if task:
        return redirect(f"{meeting_url(meeting)}#nhiem-vu")
    return render(request, "meetings/task_form.html", {"form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    task = _task(request, pk)
    if not meetings_access.can_manage_meeting(request.user, task.meeting):
        raise Http404("Không tìm thấy.")
    initial = {
        "title": task.title,
        "group": task.group,
        "assignee": task.assignee,
        "helpers": list(task.helpers.all()),
        "deadline": task.deadline,
        "status": task.status,
        "notes": task.notes,
    }
    form = forms.TaskForm(request.POST or None, meeting=task.meeting, initial=initial)
    if submit(
        request, form, lambda data: services.task_update(actor=request.user, task=task, **data), done="Đã lưu nhiệm vụ."
    ):
        return redirect("meetings:task", pk=task.pk)
    return render(request, "meetings/task_form.html", {"form": form, "meeting": task.meeting, "task": task})


@require_http_methods(["GET", "POST"])
def task_detail(request, pk: int):
    task = _task(request, pk)
    form = forms.ProgressForm(request.POST or None, initial={"status": task.status, "notes": task.notes})
    if submit(
        request, form, lambda data: services.task_progress(actor=request.user, task=task, **data), done="Đã cập nhật."
    ):
        return redirect("meetings:task", pk=task.pk)
    context = {
        "task": task,
        "form": form,
        "upload_form": forms.AttachmentForm(),
        "manage": meetings_access.can_manage_meeting(request.user, task.meeting),
        "late": task.is_late(today()),
    }
    return render(request, "meetings/task.html", context)


@require_POST
def task_attach(request, pk: int):
    task = _task(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Chọn tệp để đính kèm.")
    else:
        submit(
            request,
            None,
            lambda _: services.attachment_add(actor=request.user, task=task, upload=upload),
            done="Đã đính kèm.",
        )
    return redirect("meetings:task", pk=task.pk)


def task_file(request, pk: int):
    attachment = scoping.get_or_404(
        TaskAttachment.objects.filter(task__in=meetings_access.meeting_tasks(request.user)), pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy tệp.") from None
    return serve_upload(handle, stored_name=attachment.file.name, filename=attachment.name)


@require_POST
def checklist(request, pk: int):
    meeting = managed_meeting(request, pk)
    submit(
        request,
        forms.ChecklistForm(request.POST, meeting=meeting),
        lambda data: services.apply_checklist(actor=request.user, meeting=meeting, assignee=data["assignee"]),
        done=lambda created: (
            f"Đã thêm {len(created)} việc chuẩn bị hội nghị tổng kết; sửa từng việc để giao đúng người."
            if created
            else "Không thêm việc nào: hội nghị đã có đủ các việc mẫu."
        ),
        flash_errors=True,
    )
    return redirect(f"{meeting_url(meeting)}#nhiem-vu")


def my_tasks(request):
    tasks = paging.offset_page(request, selectors.my_tasks(request.user), noun="việc")
    return render(request, "meetings/my_tasks.html", {"tasks": tasks, "today": today()})


def board(request):
    scoping.require(request.user, "manage_meetings")
    on = today()
    context = {
        # Two lists on one page, each with its own page number in the address.
        "late": paging.offset_page(request, selectors.late_tasks(request.user, on), noun="việc"),
        "blocked": paging.offset_page(request, selectors.blocked_tasks(request.user), noun="việc", param="trang_vuong"),
        "today": on,
    }
    return render(request, "meetings/board.html", context)
