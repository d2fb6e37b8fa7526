from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.accounts import scoping, selectors, services, twofactor
from hoiccb.accounts.forms import TokenForm, UserForm
from hoiccb.accounts.requests import AuthenticatedRequest
from hoiccb.lib.views import submit


@login_not_required
def healthz(request: HttpRequest):
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status, code = "ok", 200
    except Exception:
        status, code = "database-unavailable", 503
    return JsonResponse({"status": status, "database": connection.vendor}, status=code)


@login_not_required
def csrf_failure(request: HttpRequest, reason=""):
    """A form sent after the page went stale (expired session, another tab logged out)."""
    return render(request, "403_csrf.html", status=403)


def user_list(request: AuthenticatedRequest):
    scoping.require(request.user, "manage_users")
    users = selectors.user_list(request.user)
    return render(request, "accounts/list.html", {"users": users})


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
