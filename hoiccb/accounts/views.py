from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hoiccb.accounts import scoping, selectors, services
from hoiccb.accounts.forms import UserForm
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
    context = {"form": form, "title": title, "history": selectors.user_history(target)}
    return render(request, "accounts/form.html", context)
