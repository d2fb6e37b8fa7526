from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.accounts import bulk, scoping, selectors, services, twofactor
from hoiccb.accounts.forms import BulkUserForm, PasswordChangeForm, TokenForm, UserForm
from hoiccb.accounts.requests import AuthenticatedRequest
from hoiccb.lib import paging
from hoiccb.lib.search import search_param
from hoiccb.lib.views import submit


@login_not_required
def csrf_failure(request: HttpRequest, reason=""):
    """A form sent after the page went stale (expired session, another tab logged out)."""
    return render(request, "403_csrf.html", status=403)


def user_list(request: AuthenticatedRequest):
    scoping.require(request.user, "manage_users")
    query = search_param(request)
    users = paging.offset_page(request, selectors.search_users(request.user, query), noun="tài khoản")
    return render(request, "accounts/list.html", {"users": users, "query": query})


@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedRequest):
    scoping.require(request.user, "manage_users")
    form = UserForm(request.POST or None, actor=request.user)
    if submit(
        request,
        form,
        lambda data: services.user_create(actor=request.user, **form.service_fields(data)),
        done=lambda user: f"Đã tạo tài khoản {user.username}.",
    ):
        return redirect("accounts:list")
    return render(request, "accounts/form.html", {"form": form, "title": "Thêm tài khoản"})


@require_http_methods(["GET", "POST"])
def user_bulk_create(request: AuthenticatedRequest):
    """Many logins from a pasted list or a spreadsheet: read and checked first, created on confirmation."""
    scoping.require(request.user, "manage_users")
    form = BulkUserForm(request.POST or None, request.FILES or None)
    rows: list[bulk.Row] = []
    if request.method == "POST" and form.is_valid():
        try:
            rows = bulk.prepare(request.user, form.cleaned_data["rows"])
        except ValidationError as exc:
            form.add_error("rows", exc)
        else:
            if not rows:
                form.add_error("rows", "Danh sách trống: mỗi dòng gồm đơn vị, họ và tên, vai trò, e-mail.")
            elif "tao" in request.POST:
                login_url = request.build_absolute_uri(resolve_url(settings.LOGIN_URL))
                bulk.create_all(request.user, rows, login_url)
                made = sum(1 for r in rows if r.created)
                messages.success(request, f"Đã tạo {made} tài khoản và gửi mật khẩu tạm qua e-mail.")
                if made == len(rows):
                    return redirect("accounts:list")
                context = {"form": form, "rows": rows, "done": True, "text": form.cleaned_data["rows"]}
                return render(request, "accounts/bulk.html", context)
    text = (form.cleaned_data.get("rows") if form.is_bound and hasattr(form, "cleaned_data") else "") or ""
    if form.is_bound and not text:
        text = form.data.get("rows", "")
    context = {"form": form, "rows": rows, "ready": sum(1 for r in rows if r.ok), "text": text}
    return render(request, "accounts/bulk.html", context)


@require_http_methods(["GET", "POST"])
def user_edit(request: AuthenticatedRequest, pk: int):
    scoping.require(request.user, "manage_users")
    target = scoping.get_or_404(scoping.manageable_users(request.user), pk=pk)
    title = f"Sửa tài khoản {target.username}"
    form = UserForm(request.POST or None, instance=target, actor=request.user)
    if submit(
        request,
        form,
        lambda data: services.user_update(actor=request.user, user=target, **form.service_fields(data)),
        done="Đã lưu tài khoản.",
    ):
        return redirect("accounts:list")
    context = {
        "form": form,
        "title": title,
        "history": selectors.user_history(target),
        "has_second_factor": twofactor.has_app(target),
    }
    return render(request, "accounts/form.html", context)


@require_POST
def second_factor_reset(request: AuthenticatedRequest, pk: int):
    """An administrator removes the second factor of a login below them (a lost phone)."""
    scoping.require(request.user, "manage_users")
    target = scoping.get_or_404(scoping.manageable_users(request.user), pk=pk)
    submit(
        request,
        None,
        lambda _data: twofactor.reset(actor=request.user, user=target),
        done=f"Đã đặt lại đăng nhập hai bước của tài khoản {target.username}: lần đăng nhập sau sẽ đăng ký lại.",
    )
    return redirect("accounts:edit", pk=target.pk)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def second_factor(request: AuthenticatedRequest):
    """Enrol an authenticator app: QR code and key, a code to confirm, then the recovery codes once."""
    if twofactor.has_app(request.user) and not twofactor.is_verified(request):
        # Replacing the app needs the current one first, else a password alone would re-enrol.
        return redirect(f"{resolve_url('accounts:verify')}?{urlencode({'next': request.get_full_path()})}")
    device = twofactor.pending_device(request.user)
    form = TokenForm(request.POST or None)
    codes = submit(
        request,
        form,
        lambda data: twofactor.enrol_confirm(user=request.user, device=device, token=data["token"]),
        done="Đã bật đăng nhập hai bước.",
    )
    if codes:
        django_otp.login(request, device)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
    context = {
        "form": form,
        "qr": twofactor.qr_svg(device),
        "key": twofactor.manual_key(device),
        "enrolled": twofactor.has_app(request.user),
        "required": twofactor.is_required(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/second_factor.html", context)


@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedRequest):
    """The second step of the login: a code from the app, or one recovery code."""
    if twofactor.is_verified(request) or not twofactor.has_app(request.user):
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    wait = twofactor.wait_seconds(request.user) if request.method == "POST" else 0
    if wait:
        form.is_valid()
        form.add_error(None, f"Bạn đã nhập sai mã nhiều lần. Vui lòng đợi {wait} giây rồi thử lại.")
    elif request.method == "POST" and form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            if device.name == twofactor.RECOVERY_DEVICE:
                left = device.token_set.count()
                messages.warning(request, f"Bạn vừa dùng một mã dự phòng; còn {left} mã chưa dùng.")
            return redirect(_next_url(request))
        form.add_error("token", twofactor.WRONG_CODE)
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedRequest):
    """The owner changes their password; a new account with a mailed one-time password is sent here first."""
    form = PasswordChangeForm(request.POST or None)
    changed = submit(
        request,
        form,
        lambda data: services.password_change(
            user=request.user, old_password=data["old_password"], new_password=data["new_password1"]
        ),
        done="Đã đổi mật khẩu.",
    )
    if changed:
        update_session_auth_hash(request, changed)  # stay logged in on this device
        return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request), "forced": request.user.must_change_password}
    return render(request, "accounts/password_change.html", context)
