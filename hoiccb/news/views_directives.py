"""Directives: the inbox of a recipient unit, sending, downloading, confirming, reminding."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.accounts import scoping
from hoiccb.lib import paging
from hoiccb.lib.views import submit
from hoiccb.news import access as news_access
from hoiccb.news import forms, selectors, services
from hoiccb.news.models import Directive, ReceiptState


def _directive_or_404(request, pk: int) -> Directive:
    return scoping.get_or_404(
        news_access.directives(request.user).select_related("issuing_unit", "recipient_root"), pk=pk
    )


def directive_list(request):
    inbox = selectors.inbox(request.user)
    receipts = paging.offset_page(request, inbox, noun="văn bản đến", param="trang")
    sent = None
    if scoping.can(request.user, "issue_directives"):
        sent = paging.offset_page(request, selectors.issued(request.user), noun="văn bản đã gửi", param="trang_gui")
    return render(
        request,
        "news/directive_list.html",
        {
            "receipts": receipts,
            "sent": sent,
            "waiting": inbox.exclude(state=ReceiptState.CONFIRMED).count(),
        },
    )


@require_http_methods(["GET", "POST"])
def directive_create(request):
    scoping.require(request.user, "issue_directives")
    form = forms.DirectiveForm(request.POST or None, request.FILES or None, user=request.user)
    directive = submit(
        request,
        form,
        lambda data: services.directive_issue(
            actor=request.user,
            issuing_unit=data["issuing_unit"],
            kind=data["kind"],
            number=data["number"],
            issued_on=data["issued_on"],
            summary=data["summary"],
            upload=data["upload"],
            recipient_root=data["recipient_root"],
            grassroots_only=data["grassroots_only"],
        ),
        done="Đã gửi văn bản đến các đơn vị.",
    )
    if directive:
        return redirect("directives:detail", pk=directive.pk)
    return render(request, "news/directive_form.html", {"form": form})


def directive_detail(request, pk: int):
    directive = _directive_or_404(request, pk)
    manage = news_access.can_manage_directive(request.user, directive)
    rows = selectors.receipt_table(directive) if manage else []
    counts = {state: sum(1 for r in rows if r.state == state) for state in ReceiptState.values}
    return render(
        request,
        "news/directive_detail.html",
        {
            "directive": directive,
            "own": services.own_receipt(request.user, directive),
            "can_confirm": scoping.can(request.user, "receive_directives"),
            "manage": manage,
            "rows": rows,
            "counts": counts,
            "late": counts[ReceiptState.UNREAD] + counts[ReceiptState.OPENED],
        },
    )


def directive_download(request, pk: int):
    directive = _directive_or_404(request, pk)
    services.directive_opened(actor=request.user, directive=directive)
    try:
        handle = directive.file.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy tệp.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=directive.file_name, content_type=directive.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def directive_confirm(request, pk: int):
    directive = _directive_or_404(request, pk)
    submit(
        request,
        None,
        lambda _: services.receipt_confirm(actor=request.user, directive=directive),
        done="Đã xác nhận đơn vị nhận được văn bản.",
    )
    return redirect("directives:detail", pk=directive.pk)


@require_POST
def directive_remind(request, pk: int):
    directive = _directive_or_404(request, pk)
    if not news_access.can_manage_directive(request.user, directive):
        raise Http404("Không tìm thấy.")
    # Not `submit`: the service refuses nothing here, and "nobody left to remind" is news (info), not a success.
    count = services.directive_remind(actor=request.user, directive=directive)
    if count:
        messages.success(request, f"Đã nhắc {count} đơn vị chưa xác nhận.")
    else:
        messages.info(request, "Mọi đơn vị đã xác nhận, không cần nhắc.")
    return redirect("directives:detail", pk=directive.pk)
