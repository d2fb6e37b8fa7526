"""Pages of the awards documents: the decision in Word, certificates printed in the background,
the upward dossier, nomination attachments and the decision's Word template."""

import io
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hoiccb.accounts import scoping
from hoiccb.awards.access import can_manage_awards
from hoiccb.awards.documents import certificates, decision_template, dossier, selectors, services
from hoiccb.awards.documents.forms import DossierSendForm, TemplateUploadForm, UpwardResultForm
from hoiccb.awards.rounds import selectors as round_selectors
from hoiccb.awards.rounds.models import AwardForm
from hoiccb.lib.excel import XLSX_TYPE
from hoiccb.lib.files import CONTENT_TYPES, DOCX_TYPE, sniff
from hoiccb.lib.pdf_jobs import pdf_view
from hoiccb.lib.views import submit


def _decision(request, pk):
    return scoping.get_or_404(round_selectors.decisions(request.user), pk=pk)


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The decision and its certificates ----------------------------------------------------------


@login_required
def decision_docx(request, pk):
    decision = _decision(request, pk)
    response = HttpResponse(
        decision_template.decision_docx(decision),
        content_type=DOCX_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="quyet-dinh-{decision.seq}-{decision.year}.docx"'
    return response


@login_required
def decision_pdf(request, pk):
    """The decision as PDF, converted from the same DOCX (in the background when it takes a while)."""
    decision = _decision(request, pk)
    return _private(
        pdf_view(
            request,
            decision_template.decision_docx(decision),
            f"quyet-dinh-{decision.seq}-{decision.year}.pdf",
            title=str(decision),
            back=reverse("awards:round", args=[decision.round_id]),
        )
    )


def certificates_page(request, pk: int):
    """The certificates of a decision: ask for them (POST), watch the bar, download the PDF."""
    decision = _decision(request, pk)
    if request.method == "POST":
        asked = submit(
            request,
            None,
            lambda _: services.certificates_request(actor=request.user, decision=decision),
            done=None,  # the page's progress bar says it
        )
        if asked and not asked[1]:  # (job, queued)
            messages.info(request, "Giấy khen đang được in hoặc đã in xong: không cần in lại.")
        return redirect("awards:certificates", decision.pk)
    job = selectors.job_of(decision)
    ready = certificates.ready_file(decision, job)
    return render(
        request,
        "awards/certificates_job.html",
        {
            "decision": decision,
            "job": job,
            "ready": ready,
            "busy": job is not None and job.is_busy and not certificates.is_stale(job),
            "stale": job is not None and job.state == "done" and ready is None,
            "progress": certificates.progress(job) if job else None,
            "can_print": can_manage_awards(request.user, decision.unit),
        },
    )


def certificates_progress(request, pk: int):
    """The bar, polled by htmx every second; when the job is over the page reloads to show the outcome."""
    decision = _decision(request, pk)
    job = selectors.job_of(decision)
    if job is None or not job.is_busy:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("awards:certificates", args=[decision.pk])
        return response
    return render(
        request, "awards/_certificates_progress.html", {"decision": decision, "progress": certificates.progress(job)}
    )


def certificates_download(request, pk: int):
    """The stored PDF while it is current; otherwise the page that prints it."""
    decision = _decision(request, pk)
    job = certificates.ready_file(decision)
    if job is None:
        messages.info(request, "Giấy khen chưa in hoặc quyết định đã thay đổi: bấm «In giấy khen».")
        return redirect("awards:certificates", decision.pk)
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"Giấy khen {decision.seq}-{decision.year}.pdf",
        content_type=CONTENT_TYPES["pdf"],
    )
    return _private(response)


# --- Upward dossier ----------------------------------------------------------------------------


def _round_prepared(request, pk: int):
    rnd = scoping.get_or_404(round_selectors.rounds_for(request.user).select_related("movement", "unit__parent"), pk=pk)
    if not can_manage_awards(request.user, rnd.unit):
        raise Http404("Không tìm thấy.")
    return rnd


def _form_of(request, pk_text) -> AwardForm:
    return scoping.get_or_404(selectors.forms_issued_above(), pk=pk_text)


def dossier_page(request, pk: int):
    """Every form of the round to propose upward, with its documents and the record of sending."""
    rnd = _round_prepared(request, pk)
    posted = None
    # The page holds one form per award form: a posted form's own errors show in its section,
    # the service's refusal goes to messages (through `submit`) above them all.
    if request.method == "POST":
        form = _form_of(request, request.POST.get("hinh_thuc"))
        posted = (form.pk, DossierSendForm(request.POST))
        if posted[1].is_valid() and submit(
            request,
            posted[1],
            lambda d: services.dossier_send(actor=request.user, round=rnd, form=form, **d),
            done=lambda sent: f"Đã ghi gửi hồ sơ {form.name}: Tờ trình số {sent.number}.",
            flash_errors=True,
        ):
            return redirect("awards:dossier", rnd.pk)
    sections = []
    for form, count in selectors.upward_forms(rnd):
        d = dossier.dossier_for(rnd, form)
        send_form = posted[1] if posted and posted[0] == form.pk else None
        if send_form is None:
            initial: dict[str, object] = {"place": selectors.default_place(rnd)}
            if d.sent:
                initial = {"seq": d.sent.seq, "sent_on": d.sent.sent_on, "place": d.sent.place, "signer": d.sent.signer}
            send_form = DossierSendForm(initial=initial, auto_id=f"id_{form.pk}_%s")
        result_initial: dict[str, object] = {"awarded_form": form.pk}
        if d.sent and d.sent.result_number:
            result_initial = {
                "number": d.sent.result_number,
                "decided_on": d.sent.result_on,
                "issuer": d.sent.result_issuer,
                "awarded_form": d.sent.result_form_id,
            }
        result_form = UpwardResultForm(prefix=f"kq{form.pk}", initial=result_initial)
        sections.append(
            {"form": form, "count": count, "dossier": d, "send_form": send_form, "result_form": result_form}
        )
    return render(request, "awards/dossier.html", {"round": rnd, "sections": sections})


@require_POST
def dossier_result(request, pk: int):
    """Record the upper level's decision on a form's dossier: who was awarded, by which decision."""
    rnd = _round_prepared(request, pk)
    form = _form_of(request, request.POST.get("hinh_thuc"))
    awarded = {int(v) for v in request.POST.getlist("duoc_khen") if v.isdigit()}
    submit(
        request,
        UpwardResultForm(request.POST, prefix=f"kq{form.pk}"),
        lambda d: services.upward_result_record(actor=request.user, round=rnd, form=form, awarded=awarded, **d),
        done=lambda sent: (
            f"Đã ghi kết quả của cấp trên: Quyết định {sent.result_number}; "
            f"{len(awarded)} người, tập thể được khen, đã vào lịch sử khen thưởng."
        ),
        flash_errors=True,
    )
    return redirect(f"{reverse('awards:dossier', args=[rnd.pk])}#ho-so-{form.pk}")


def dossier_download(request, pk: int):
    """One document of a form's dossier (?hinh_thuc=<form>&tep=to-trinh|to-trinh-pdf|danh-sach|tom-tat),
    or all as a ZIP."""
    rnd = _round_prepared(request, pk)
    form = _form_of(request, request.GET.get("hinh_thuc"))
    try:  # Not `submit`: a download (GET) with nothing to post; a form with no dossier is a 404.
        d = dossier.dossier_for(rnd, form)
    except ValidationError:
        raise Http404("Không tìm thấy.") from None
    which = request.GET.get("tep", "zip")
    stem = f"Hồ sơ đề nghị {form.name} – {rnd.name}"[:150]
    if which == "to-trinh":
        content, kind, name = dossier.cover_docx(d), DOCX_TYPE, f"Tờ trình {form.name}.docx"
    elif which == "to-trinh-pdf":
        back = reverse("awards:dossier", args=[rnd.pk])
        return _private(
            pdf_view(request, dossier.cover_docx(d), f"Tờ trình {form.name}.pdf", title="Tờ trình", back=back)
        )
    elif which == "danh-sach":
        sheet, _ = dossier.list_xlsx(d)
        return _private(
            FileResponse(sheet, as_attachment=True, filename=f"Danh sách {form.name}.xlsx", content_type=XLSX_TYPE)
        )
    elif which == "tom-tat":
        content, kind, name = dossier.summaries_docx(d), DOCX_TYPE, f"Tóm tắt thành tích {form.name}.docx"
    elif which == "zip":
        content, kind, name = dossier.zip_bytes(d), "application/zip", f"{stem}.zip"
    else:
        raise Http404("Không tìm thấy.")
    return _private(FileResponse(io.BytesIO(content), as_attachment=True, filename=name, content_type=kind))


# --- Nomination attachments --------------------------------------------------------------------


def nomination_attachment(request, pk: int):
    """A nomination's attached file, for users whose scope covers the nomination."""
    nominations = round_selectors.nominations(request.user).select_related("member", "nominee_unit")
    nomination = scoping.get_or_404(nominations, pk=pk)
    if not nomination.attachment:
        raise Http404("Không tìm thấy.")
    try:
        handle = nomination.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy tệp.") from None
    kind = sniff(handle)
    suffix = PurePath(nomination.attachment.name).suffix.lower() or f".{kind or 'bin'}"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"Hồ sơ đề nghị – {nomination.nominee}{suffix}",
        content_type=CONTENT_TYPES.get(kind or "", "application/octet-stream"),
    )
    return _private(response)


# --- The decision's Word template ----------------------------------------------------------------


def _template_admin(request) -> None:
    if not decision_template.can_manage(request.user):
        raise Http404("Không tìm thấy.")


def template_page(request):
    """Upload a replacement template (checked before it is accepted), see who changed it last."""
    _template_admin(request)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)

    def action(data) -> bool:
        upload = data["file"]
        try:
            services.template_upload(actor=request.user, name=upload.name, data=upload.read())
        except ValidationError as exc:
            # The template is checked by the service, but what is wrong with it belongs under the file field.
            raise ValidationError({"file": exc.messages}) from None
        return True

    if submit(request, form, action, done="Đã thay mẫu quyết định. Các quyết định tải về từ nay dùng mẫu này."):
        return redirect("awards:decision_template")
    return render(
        request,
        "awards/decision_template.html",
        {"form": form, "state": decision_template.state(), "fields": decision_template.FIELDS},
    )


def template_download(request):
    _template_admin(request)
    custom = decision_template.custom_template()
    name = "Mẫu quyết định khen thưởng.docx" if custom else "Mẫu quyết định khen thưởng (mặc định).docx"
    content = custom or decision_template.default_template()
    return _private(FileResponse(io.BytesIO(content), as_attachment=True, filename=name, content_type=DOCX_TYPE))


@require_POST
def template_reset(request):
    _template_admin(request)
    submit(
        request,
        None,
        lambda _: services.template_reset(actor=request.user),
        done="Đã quay về mẫu quyết định mặc định.",
    )
    return redirect("awards:decision_template")
