from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hoiccb.accounts.forms import AdminLoginForm, LoginForm
from hoiccb.lib import health
from hoiccb.members import views as member_views
from hoiccb.members.cards import views as card_views

# Django's admin logs in through the same throttled form.
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", member_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", include("hoiccb.accounts.urls")),
    path("don-vi/", include("hoiccb.org.urls")),
    path("tin-tuc/", include("hoiccb.news.urls")),
    path("van-ban/", include("hoiccb.news.urls_directives")),
    path("hoi-vien/", include("hoiccb.members.urls")),
    # Public: what a scanned member card's QR opens (valid or not, and the unit; nothing else).
    path("the/<str:number>/<str:code>/", card_views.card_verify, name="card_verify"),
    path("hoat-dong/", include("hoiccb.activities.urls")),
    path("thi-dua/", include("hoiccb.awards.urls")),
    path("bao-cao/", include("hoiccb.reports.urls")),
    path("hoi-nghi/", include("hoiccb.meetings.urls")),
    path("tai-chinh/", include("hoiccb.finance.urls")),
    path("quan-tri/", admin.site.urls),
]
