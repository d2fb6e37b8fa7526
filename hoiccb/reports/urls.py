from django.urls import path

from hoiccb.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.period_list, name="periods"),
    path("mo-ky/", views.period_create, name="period_create"),
    path("ky/<int:pk>/", views.period_detail, name="period"),
    path("nop-muon/", views.exception_grant, name="exception_grant"),
    path("quy-tac/", views.rules, name="rules"),
    path("nhac-nop/", views.remind_late, name="remind_late"),
    path("lap/", views.report_start, name="start"),
    path("phu-luc.xlsx", views.period_annex, name="annex"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/sua/", views.report_edit, name="edit"),
    path("<int:pk>/tinh-lai/", views.report_refresh, name="refresh"),
    path("<int:pk>/nop/", views.report_submit, name="submit"),
    path("<int:pk>/tra-lai/", views.report_return, name="return"),
    path("<int:pk>/duyet/", views.report_accept, name="accept"),
    path("<int:pk>/bao-cao.docx", views.report_docx, name="docx"),
    path("<int:pk>/bao-cao.pdf", views.report_pdf, name="pdf"),
    path("tong-quan/", views.dashboard, name="dashboard"),
]
