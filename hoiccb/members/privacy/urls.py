"""URLs of the personal-data area, included in the members' URL list (names start with privacy_)."""

from django.urls import path

from hoiccb.members.privacy import views

urlpatterns = [
    path("du-lieu-ca-nhan/", views.index, name="privacy_index"),
    path("du-lieu-ca-nhan/nhat-ky/", views.access_log, name="privacy_log"),
    path("du-lieu-ca-nhan/nhat-ky.xlsx", views.access_log_export, name="privacy_log_export"),
    path("du-lieu-ca-nhan/yeu-cau/<int:pk>/", views.request_update, name="privacy_request"),
    path("du-lieu-ca-nhan/dong-y/<int:pk>/rut-lai/", views.consent_withdraw, name="privacy_consent_withdraw"),
    path("du-lieu-ca-nhan/dong-y/<int:pk>/van-ban/", views.consent_document, name="privacy_consent_document"),
    path("du-lieu-ca-nhan/an-danh/<int:pk>/", views.anonymise_confirm, name="privacy_anonymise_confirm"),
    path("<int:pk>/du-lieu-ca-nhan/", views.member_page, name="privacy_member"),
    path("<int:pk>/du-lieu-ca-nhan/yeu-cau/", views.request_create, name="privacy_request_create"),
    path("<int:pk>/du-lieu-ca-nhan/dong-y/", views.consent_create, name="privacy_consent_create"),
    path("<int:pk>/du-lieu-ca-nhan/toan-bo.json", views.subject_json, name="privacy_subject_json"),
    path("<int:pk>/du-lieu-ca-nhan/toan-bo.pdf", views.subject_pdf, name="privacy_subject_pdf"),
    path("<int:pk>/an-danh/", views.anonymise_ask, name="privacy_anonymise"),
]
