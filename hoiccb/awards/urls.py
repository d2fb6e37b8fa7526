from django.urls import path

from hoiccb.awards import document_views, registration_views, views

app_name = "awards"

urlpatterns = [
    path("", views.index, name="index"),
    path("thong-ke/", views.statistics, name="statistics"),
    path("phong-trao/moi/", views.movement_create, name="movement_create"),
    path("phong-trao/<int:pk>/", views.movement_detail, name="movement"),
    path("phong-trao/<int:pk>/binh-xet/", views.member_ratings, name="member_ratings"),
    path("dot/moi/", views.round_create, name="round_create"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("dot/<int:pk>/chi-tieu/", views.quota_set, name="quota_set"),
    path("dot/<int:pk>/de-nghi/", views.nominate, name="nominate"),
    path("dot/<int:pk>/quyet-dinh/", views.decision_issue, name="decision_issue"),
    path("suat/<int:pk>/dieu-chinh/", views.share_adjust, name="share_adjust"),
    path("de-nghi/<int:pk>/", views.nomination_detail, name="nomination"),
    path("de-nghi/<int:pk>/chuyen/", views.nomination_move, name="nomination_move"),
    path("de-nghi/<int:pk>/bieu-quyet/", views.nomination_vote, name="nomination_vote"),
    path("quyet-dinh/<int:pk>/tai-ve.docx", views.decision_docx, name="decision_docx"),
    path("quyet-dinh/<int:pk>/giay-khen.pdf", document_views.certificates_download, name="decision_certificates"),
    path("hoi-vien/<int:pk>/", views.member_history, name="member_history"),
    path("don-vi/<int:pk>/", views.unit_history, name="unit_history"),
]

# Documents: certificates printed in the background, the upward dossier, attachments, the decision template.
urlpatterns += [
    path("quyet-dinh/<int:pk>/giay-khen/", document_views.certificates_page, name="certificates"),
    path("quyet-dinh/<int:pk>/giay-khen/tien-do/", document_views.certificates_progress, name="certificates_progress"),
    path("dot/<int:pk>/ho-so-cap-tren/", document_views.dossier_page, name="dossier"),
    path("dot/<int:pk>/ho-so-cap-tren/tai-ve/", document_views.dossier_download, name="dossier_download"),
    path("de-nghi/<int:pk>/tep-dinh-kem/", document_views.nomination_attachment, name="nomination_attachment"),
    path("mau-quyet-dinh/", document_views.template_page, name="decision_template"),
    path("mau-quyet-dinh/tai-ve.docx", document_views.template_download, name="decision_template_download"),
    path("mau-quyet-dinh/mac-dinh/", document_views.template_reset, name="decision_template_reset"),
]

# Yearly registration and the import of awards received before the system.
urlpatterns += [
    path("phong-trao/<int:pk>/dang-ky/", registration_views.registrations, name="registrations"),
    path("dang-ky/<int:pk>/", registration_views.registration_detail, name="registration"),
    path("dang-ky/<int:pk>/hoi-vien/", registration_views.registration_member, name="registration_member"),
    path("dang-ky/<int:pk>/huy/", registration_views.registration_withdraw, name="registration_withdraw"),
    path("nhap-lich-su/", registration_views.history_upload, name="history_upload"),
    path("nhap-lich-su/mau.xlsx", registration_views.history_template, name="history_template"),
    path("nhap-lich-su/<int:pk>/", registration_views.history_preview, name="history_preview"),
    path("nhap-lich-su/<int:pk>/ghi/", registration_views.history_commit, name="history_commit"),
]
