from django.urls import path

from hoiccb.finance import views

app_name = "finance"

urlpatterns = [
    path("hoi-phi/", views.dues_index, name="dues"),
    path("hoi-phi/thu/", views.dues_pay, name="dues_pay"),
    path("hoi-phi/phieu-thu/", views.receipts_print, name="receipts"),
    path("hoi-phi/phieu-thu/<int:pk>.docx", views.receipt_download, {"fmt": "docx"}, name="receipt_docx"),
    path("hoi-phi/phieu-thu/<int:pk>.pdf", views.receipt_download, {"fmt": "pdf"}, name="receipt_pdf"),
    path("hoi-phi/bang-ke/", views.dues_statement, name="statement"),
    path("quy/", views.fund_list, name="funds"),
    path("quy/<int:pk>/", views.fund_detail, name="fund"),
    path("quy/<int:pk>/so-quy.xlsx", views.fund_export, {"fmt": "xlsx"}, name="fund_xlsx"),
    path("quy/<int:pk>/so-quy.docx", views.fund_export, {"fmt": "docx"}, name="fund_docx"),
    path("quy/but-toan/<int:pk>/dao/", views.fund_entry_reverse, name="entry_reverse"),
    path("tham-vieng/", views.visit_list, name="visits"),
    path("tham-vieng/<int:pk>/xong/", views.visit_done, name="visit_done"),
]
