from django.urls import path

from hoiccb.members import forms, views
from hoiccb.members.cards import views as card_views
from hoiccb.members.celebrations import views as celebration_views
from hoiccb.members.imports import views as import_views
from hoiccb.members.privacy import urls as privacy_urls

app_name = "members"

# Lifecycle steps: one view, one form (which names its service) per step.
LIFECYCLE_STEPS = [
    ("chuyen-sinh-hoat", forms.TransferForm, "transfer"),
    ("chuyen-ra-ngoai", forms.TransferOutForm, "transfer_out"),
    ("thoi-sinh-hoat", forms.LeaveForm, "leave"),
    ("tu-tran", forms.DeathForm, "death"),
    ("dinh-chinh-tu-tran", forms.DeathCorrectForm, "death_correct"),
    ("sinh-hoat-lai", forms.ReinstateForm, "reinstate"),
    ("cap-the", forms.CardForm, "card"),
]

urlpatterns = [
    path("", views.member_list, name="list"),
    path("them/", views.member_create, name="create"),
    path("chon/", views.member_picker, name="picker"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/sua/", views.member_edit, name="edit"),
    path("xuat.xlsx", views.member_export, name="export"),
    path("the/", card_views.cards_index, name="cards"),
    path("the/in/<int:pk>/", card_views.card_job, name="card_job"),
    path("the/in/<int:pk>/the-hoi-vien.pdf", card_views.card_job_download, name="card_job_download"),
    path("<int:pk>/the.pdf", card_views.member_card_pdf, name="card_pdf"),
    path("<int:pk>/anh-the/", card_views.member_photo, name="photo"),
    path("<int:pk>/anh-the.jpg", card_views.member_photo_image, name="photo_image"),
    path("mung-tho/", celebration_views.celebrations, name="celebrations"),
    path("mung-tho/xuat.xlsx", celebration_views.celebrations_export, {"fmt": "xlsx"}, name="celebrations_xlsx"),
    path("mung-tho/danh-sach.docx", celebration_views.celebrations_export, {"fmt": "docx"}, name="celebrations_docx"),
    path("nhap/", import_views.import_start, name="import_start"),
    path("nhap/mau.xlsx", import_views.import_template_download, name="import_template"),
    path("nhap/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("nhap/<int:pk>/cot/", import_views.import_columns, name="import_columns"),
    path("nhap/<int:pk>/tien-do/", import_views.import_progress, name="import_progress"),
    path("nhap/<int:pk>/don-vi/", import_views.import_units, name="import_units"),
    path("nhap/<int:pk>/chon-ca-loai/", import_views.import_rows_decide, name="import_rows_decide"),
    path("nhap/<int:pk>/xac-nhan/", import_views.import_commit, name="import_commit"),
    path("nhap/<int:pk>/hoan-tac/", import_views.import_undo, name="import_undo"),
    path("nhap/<int:pk>/bo/", import_views.import_abandon, name="import_abandon"),
    path("nhap/<int:pk>/ket-qua.xlsx", import_views.import_result, name="import_result"),
    path("nhap/dong/<int:pk>/", import_views.import_row_fix, name="import_row_fix"),
    path("nhap/dong/<int:pk>/chon/", import_views.import_row_decide, name="import_row_decide"),
    *privacy_urls.urlpatterns,
    *(
        path(f"<int:pk>/{slug}/", views.member_action, {"form_class": form_class}, name=name)
        for slug, form_class, name in LIFECYCLE_STEPS
    ),
]
