"""Pages of member cards: choose members, number them, print a sheet in the background, photos,
and the public page a scanned QR opens."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hoiccb.accounts import scoping
from hoiccb.lib.forms import BootstrapMixin, VNDateField, today
from hoiccb.lib.http import client_ip
from hoiccb.lib.views import submit
from hoiccb.members import access as members_access
from hoiccb.members.cards import jobs, services, sheet
from hoiccb.members.cards.models import CardJob
from hoiccb.members.cards.signing import is_genuine
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.fields import scoped_unit_field
from hoiccb.org.paths import subtree_filter

LIST_CAP = 200
VERIFY_LIMIT = 20  # scans per address and minute


class CardFilterForm(BootstrapMixin, forms.Form):
    don_vi = forms.IntegerField(required=False)
    tu_ngay = VNDateField(label="Kết nạp hoặc cấp thẻ từ ngày", required=False)
    chua_the = forms.BooleanField(label="Chỉ hội viên chưa có thẻ", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["don_vi"] = scoped_unit_field(
            user, label="Đơn vị", required=False, empty_label="— Đơn vị của tôi —"
        )
        self.user = user

    def selection(self):
        """Return (unit, members queryset) chosen by the filter."""
        data = self.cleaned_data if self.is_valid() else {}
        unit = data.get("don_vi") or self.user.unit
        if unit is None:
            raise Http404("Không tìm thấy.")
        qs = members_access.members(self.user).filter(
            status=MemberStatus.ACTIVE, **subtree_filter("unit_path", unit.path)
        )
        if data.get("chua_the"):
            qs = qs.filter(card_number__isnull=True)
        if data.get("tu_ngay"):
            since = data["tu_ngay"]
            qs = qs.filter(Q(joined_on__gte=since.isoformat()) | Q(card_issued_on__gte=since))
        return unit, qs.select_related("unit", "photo").order_by("sort_key", "id")


def cards_index(request):
    form = CardFilterForm(request.GET or request.POST or None, user=request.user)
    unit, members = form.selection()
    if request.method == "POST":
        scoping.require(request.user, "edit_members")
        chosen = list(members[: services.MAX_CARDS + 1])
        if request.POST.get("cap_so"):
            submit(
                request,
                None,
                lambda _d: services.cards_number_missing(
                    actor=request.user, unit=unit, members=chosen, issued_on=today()
                ),
                done=lambda n: f"Đã cấp số thẻ cho {n} hội viên.",
            )
            return redirect(request.get_full_path())
        job = submit(
            request,
            None,
            lambda _d: services.cards_request(
                actor=request.user, unit=unit, members=chosen, base_url=request.build_absolute_uri("/")
            ),
            done=None,
        )
        if job:
            return redirect("members:card_job", pk=job.pk)
        return redirect(request.get_full_path())
    shown = list(members[:LIST_CAP])
    context = {"form": form, "unit": unit, "members": shown, "cap": LIST_CAP, "jobs": _jobs(request)[:5]}
    return render(request, "members/cards/index.html", context)


def _jobs(request):
    root = scoping.root_unit(request.user)
    if root is None:
        return CardJob.objects.none()
    return CardJob.objects.filter(**subtree_filter("unit__path", root.path))


def card_job(request, pk: int):
    job = scoping.get_or_404(_jobs(request), pk=pk)
    context = {"job": job, "progress": jobs.progress(job)}
    if request.headers.get("HX-Request"):
        return render(request, "members/cards/_progress.html", context)
    return render(request, "members/cards/job.html", context)


def card_job_download(request, pk: int):
    job = scoping.get_or_404(_jobs(request), pk=pk)
    if not job.file:
        raise Http404("Tệp chưa in xong.")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=f"the-hoi-vien-{job.pk}.pdf")


def member_card_pdf(request, pk: int):
    """One member's card, printed at once (no background job for a single card)."""
    member = scoping.get_or_404(members_access.members(request.user).select_related("unit", "photo"), pk=pk)
    if not member.card_number:
        raise Http404("Hội viên chưa có số thẻ.")
    pdf = sheet.render_pdf([member], request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="the-{member.card_number}.pdf"'
    return response


class PhotoForm(BootstrapMixin, forms.Form):
    photo = forms.FileField(label="Ảnh chân dung (JPEG, PNG; sẽ được cắt theo khổ 3×4)")


@require_http_methods(["GET", "POST"])
def member_photo(request, pk: int):
    member = scoping.get_or_404(members_access.members(request.user).select_related("unit"), pk=pk)
    scoping.require(request.user, "edit_members")
    form = PhotoForm(request.POST or None, request.FILES or None)
    if submit(
        request,
        form,
        lambda data: services.photo_set(actor=request.user, member=member, upload=data["photo"]),
        done="Đã lưu ảnh thẻ.",
    ):
        return redirect("members:detail", pk=member.pk)
    return render(request, "members/cards/photo.html", {"form": form, "member": member})


@never_cache
def member_photo_image(request, pk: int):
    member = scoping.get_or_404(members_access.members(request.user).select_related("photo"), pk=pk)
    photo = getattr(member, "photo", None)
    if photo is None:
        raise Http404("Chưa có ảnh.")
    response = HttpResponse(bytes(photo.image), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@never_cache
def card_verify(request, number: str, code: str):
    """Public: whether the scanned card is genuine and current, and its unit; nothing more."""
    key = f"card-verify:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, 60)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    if count > VERIFY_LIMIT:
        return render(request, "members/cards/verify.html", {"throttled": True}, status=429)
    member = None
    if len(number) <= 30 and is_genuine(number, code):
        member = Member.objects.filter(card_number=number.upper()).select_related("unit").first()
    valid = member is not None and member.status == MemberStatus.ACTIVE
    context = {"valid": valid, "unit": member.unit.name if valid and member else "", "number": number.upper()[:30]}
    return render(request, "members/cards/verify.html", context)
