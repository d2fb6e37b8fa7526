"""Pages of the personal-data area: the access log, members' requests and consents, anonymisation."""

import json

from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hoiccb.accounts import scoping
from hoiccb.accounts.requests import AuthenticatedRequest
from hoiccb.lib import paging
from hoiccb.lib.excel import XLSX_TYPE, Column, write_list
from hoiccb.lib.http import client_ip
from hoiccb.lib.pdf import html_pdf
from hoiccb.lib.views import submit
from hoiccb.members.privacy import forms, selectors, services
from hoiccb.members.privacy.models import Anonymisation, Consent, DataRequest

LOG_PAGE_SIZE = 100


def index(request: AuthenticatedRequest):
    """Open requests by deadline, anonymisations waiting for a second person."""
    scoping.require(request.user, "privacy")
    context = {
        "requests": paging.offset_page(request, selectors.requests(request.user, open_only=True), noun="yêu cầu"),
        "pending": selectors.pending_anonymisations(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "members/privacy/index.html", context)


def access_log(request: AuthenticatedRequest):
    scoping.require(request.user, "privacy")
    form = forms.LogFilterForm(request.GET or None)
    rows = selectors.access_log(request.user, form.to_filters())
    page = Paginator(rows, LOG_PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "members/privacy/log.html", {"form": form, "page": page, "query": query.urlencode()})


def access_log_export(request: AuthenticatedRequest):
    """The log, with the page's filters, as an .xlsx."""
    scoping.require(request.user, "privacy")
    rows = selectors.access_log(request.user, forms.LogFilterForm(request.GET or None).to_filters())

    def lines():
        for a in rows.iterator(chunk_size=2000):
            yield [
                timezone.localtime(a.at).replace(tzinfo=None),
                a.actor.get_full_name() or a.actor.username,
                a.actor.username,
                a.summary,
                f"{a.member_name} (#{a.member_ref})" if a.member_ref else "",
                a.count,
                "; ".join(f"{k}: {v}" for k, v in a.criteria.items()),
                a.ip_address or "",
            ]

    output, _count = write_list(
        heading=["Hội Cựu chiến binh Việt Nam", str(scoping.root_unit(request.user) or "")],
        title="Nhật ký xem dữ liệu cá nhân nhạy cảm",
        subtitle=f"(Xuất ngày {timezone.localdate():%d/%m/%Y})",
        columns=[
            Column("Thời điểm", 17, "date"),
            Column("Người xem", 22),
            Column("Tài khoản", 14),
            Column("Mục đích", 30),
            Column("Hội viên", 26),
            Column("Số hội viên", 10, "int"),
            Column("Điều kiện lọc, cột", 34),
            Column("Địa chỉ IP", 15),
        ],
        rows=lines(),
        sheet_name="Nhật ký",
    )
    return FileResponse(output, as_attachment=True, filename="nhat-ky-du-lieu-nhay-cam.xlsx", content_type=XLSX_TYPE)


def member_page(request: AuthenticatedRequest, pk: int):
    """A member's requests and consents, and the ways out: everything we hold, anonymisation."""
    member = selectors.privacy_member(request.user, pk)
    context = {
        "member": member,
        "requests": DataRequest.objects.filter(member=member).order_by("-received_on", "-id"),
        "consents": Consent.objects.filter(member=member),
        "anonymisations": Anonymisation.objects.filter(member=member).select_related("requested_by", "decided_by"),
        "request_form": forms.RequestForm(),
        "consent_form": forms.ConsentForm(),
        "today": timezone.localdate(),
    }
    return render(request, "members/privacy/member.html", context)


@require_http_methods(["GET", "POST"])
def request_create(request: AuthenticatedRequest, pk: int):
    member = selectors.privacy_member(request.user, pk)
    form = forms.RequestForm(request.POST or None)
    done = submit(
        request,
        form,
        lambda data: services.request_receive(actor=request.user, member=member, **data),
        done=lambda r: f"Đã ghi nhận yêu cầu, hạn giải quyết {r.deadline:%d/%m/%Y}.",
    )
    if done:
        return redirect("members:privacy_member", pk=member.pk)
    return render(request, "members/privacy/form.html", {"form": form, "member": member, "title": "Ghi nhận yêu cầu"})


@require_http_methods(["GET", "POST"])
def request_update(request: AuthenticatedRequest, pk: int):
    asked = scoping.get_or_404(selectors.requests(request.user), pk=pk)
    form = forms.RequestUpdateForm(request.POST or None, initial={"state": asked.state, "outcome": asked.outcome})
    if submit(
        request,
        form,
        lambda data: services.request_update(actor=request.user, request=asked, **data),
        done="Đã cập nhật yêu cầu.",
    ):
        return redirect("members:privacy_index")
    context = {"form": form, "member": asked.member, "asked": asked, "title": f"Yêu cầu: {asked.get_kind_display()}"}
    return render(request, "members/privacy/form.html", context)


@require_http_methods(["GET", "POST"])
def consent_create(request: AuthenticatedRequest, pk: int):
    member = selectors.privacy_member(request.user, pk)
    form = forms.ConsentForm(request.POST or None, request.FILES or None)
    if submit(
        request,
        form,
        lambda data: services.consent_record(actor=request.user, member=member, **data),
        done="Đã ghi nhận sự đồng ý.",
    ):
        return redirect("members:privacy_member", pk=member.pk)
    context = {"form": form, "member": member, "title": "Ghi nhận sự đồng ý", "multipart": True}
    return render(request, "members/privacy/form.html", context)


def _consent_or_404(request: AuthenticatedRequest, pk: int) -> Consent:
    scoping.require(request.user, "privacy")
    return scoping.get_or_404(scoping.in_scope(request.user, Consent.objects.select_related("member")), pk=pk)


@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthenticatedRequest, pk: int):
    consent = _consent_or_404(request, pk)
    form = forms.WithdrawForm(request.POST or None)
    if submit(
        request,
        form,
        lambda data: services.consent_withdraw(actor=request.user, consent=consent, on=data["on"]),
        done="Đã ghi nhận việc rút lại sự đồng ý.",
    ):
        return redirect("members:privacy_member", pk=consent.member_id)
    context = {"form": form, "member": consent.member, "title": f"Rút lại sự đồng ý: {consent.purpose}"}
    return render(request, "members/privacy/form.html", context)


def consent_document(request: AuthenticatedRequest, pk: int):
    consent = _consent_or_404(request, pk)
    if not consent.document:
        return redirect("members:privacy_member", pk=consent.member_id)
    return FileResponse(consent.document.open("rb"), as_attachment=True, filename=consent.document_name or "dong-y")


def subject_json(request: AuthenticatedRequest, pk: int):
    """Everything held about the member, as JSON (the handing out is logged)."""
    member = selectors.privacy_member(request.user, pk)
    services.subject_export_logged(actor=request.user, member=member, fmt="json", ip_address=client_ip(request))
    data = selectors.subject_data(member)
    body = {
        "hoi_vien": data["member"],
        "lap_luc": data["made_at"],
        "muc": [{"ten": title, "dong": rows} for title, rows in data["sections"]],
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-hoi-vien-{member.pk}.json"'
    return response


def subject_pdf(request: AuthenticatedRequest, pk: int):
    """Everything held about the member, as a printable PDF (WeasyPrint)."""
    member = selectors.privacy_member(request.user, pk)
    services.subject_export_logged(actor=request.user, member=member, fmt="pdf", ip_address=client_ip(request))
    html = render_to_string("members/privacy/subject_pdf.html", selectors.subject_data(member))
    response = HttpResponse(html_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-hoi-vien-{member.pk}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def anonymise_ask(request: AuthenticatedRequest, pk: int):
    """The preview of what anonymising changes, and the ask (a second person confirms)."""
    member = selectors.privacy_member(request.user, pk)
    form = forms.AnonymiseForm(request.POST or None, member=member)
    if submit(
        request,
        form,
        lambda data: services.anonymisation_ask(
            actor=request.user, member=member, reason=data["reason"], request=data["request"]
        ),
        done="Đã gửi đề nghị ẩn danh; một người khác có quyền cần xác nhận.",
    ):
        return redirect("members:privacy_member", pk=member.pk)
    context = {"member": member, "form": form, "preview": services.anonymisation_preview(member)}
    return render(request, "members/privacy/anonymise.html", context)


@require_http_methods(["GET", "POST"])
def anonymise_confirm(request: AuthenticatedRequest, pk: int):
    ask = scoping.get_or_404(selectors.pending_anonymisations(request.user), pk=pk)
    if request.method == "POST":
        cancel = request.POST.get("huy") == "1"
        action = services.anonymisation_cancel if cancel else services.anonymisation_confirm
        done = "Đã huỷ đề nghị ẩn danh." if cancel else "Đã ẩn danh hội viên."
        if submit(request, None, lambda _: action(actor=request.user, ask=ask), done=done):
            return redirect("members:privacy_index")
        return redirect("members:privacy_anonymise_confirm", pk=ask.pk)
    if ask.member is None:  # the member was deleted meanwhile (an undone import)
        return redirect("members:privacy_index")
    context = {
        "ask": ask,
        "member": ask.member,
        "preview": services.anonymisation_preview(ask.member),
        "same_person": ask.requested_by_id == request.user.pk,
    }
    return render(request, "members/privacy/anonymise_confirm.html", context)
