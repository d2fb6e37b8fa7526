from django.urls import path

from hoiccb.awards import views
from hoiccb.awards.documents import views as documents
from hoiccb.awards.history import views as history
from hoiccb.awards.movements import views as movements
from hoiccb.awards.registration import views as registration
from hoiccb.awards.rounds import views as rounds

app_name = "awards"

urlpatterns = [
    path("", views.index, name="index"),
    path("thong-ke/", history.statistics, name="statistics"),
    path("phong-trao/moi/", movements.movement_create, name="movement_create"),
    path("phong-trao/<int:pk>/", movements.movement_detail, name="movement"),
    path("phong-trao/<int:pk>/binh-xet/", movements.member_ratings, name="member_ratings"),
    path("dot/moi/", rounds.round_create, name="round_create"),
    path("dot/<int:pk>/", rounds.round_detail, name="round"),
    path("dot/<int:pk>/chi-tieu/", rounds.quota_set, name="quota_set"),
    path("dot/<int:pk>/phan-bo.xlsx", rounds.round_shares_xlsx, name="round_shares_xlsx"),
    path("dot/<int:pk>/de-nghi/", rounds.nominate, name="nominate"),
    path("dot/<int:pk>/quyet-dinh/", rounds.decision_issue, name="decision_issue"),
    path("quyet-dinh/<int:pk>/dinh-chinh/", rounds.decision_amend, name="decision_amend"),
    path("suat/<int:pk>/dieu-chinh/", rounds.share_adjust, name="share_adjust"),
    path("de-nghi/<int:pk>/", rounds.nomination_detail, name="nomination"),
    path("de-nghi/<int:pk>/chuyen/", rounds.nomination_move, name="nomination_move"),
    path("de-nghi/<int:pk>/bieu-quyet/", rounds.nomination_vote, name="nomination_vote"),
    path("de-nghi/<int:pk>/sua/", rounds.nomination_edit, name="nomination_edit"),
    path("dot/<int:pk>/giai-thich-phan-bo/", rounds.shareout_explained, name="shareout"),
    path("dot/<int:pk>/bieu-quyet/", rounds.votes_list, name="votes_list"),
    path("quyet-dinh/<int:pk>/tai-ve.docx", documents.decision_docx, name="decision_docx"),
    path("quyet-dinh/<int:pk>/tai-ve.pdf", documents.decision_pdf, name="decision_pdf"),
    path("quyet-dinh/<int:pk>/giay-khen.pdf", documents.certificates_download, name="decision_certificates"),
    path("hoi-vien/<int:pk>/", history.member_history, name="member_history"),
    path("don-vi/<int:pk>/", history.unit_history, name="unit_history"),
]

# Documents: certificates printed in the background, the upward dossier, attachments, the decision template.
urlpatterns += [
    path("quyet-dinh/<int:pk>/giay-khen/", documents.certificates_page, name="certificates"),
    path("quyet-dinh/<int:pk>/giay-khen/tien-do/", documents.certificates_progress, name="certificates_progress"),
    path("dot/<int:pk>/ho-so-cap-tren/", documents.dossier_page, name="dossier"),
    path("dot/<int:pk>/ho-so-cap-tren/tai-ve/", documents.dossier_download, name="dossier_download"),
    path("dot/<int:pk>/ho-so-cap-tren/ket-qua/", documents.dossier_result, name="dossier_result"),
    path("de-nghi/<int:pk>/tep-dinh-kem/", documents.nomination_attachment, name="nomination_attachment"),
    path("mau-quyet-dinh/", documents.template_page, name="decision_template"),
    path("mau-quyet-dinh/tai-ve.docx", documents.template_download, name="decision_template_download"),
    path("mau-quyet-dinh/mac-dinh/", documents.template_reset, name="decision_template_reset"),
]

# Yearly registration and the import of awards received before the system.
urlpatterns += [
    path("phong-trao/<int:pk>/dang-ky/", registration.registrations, name="registrations"),
    path("dang-ky/<int:pk>/", registration.registration_detail, name="registration"),
    path("dang-ky/<int:pk>/hoi-vien/", registration.registration_member, name="registration_member"),
    path("dang-ky/<int:pk>/huy/", registration.registration_withdraw, name="registration_withdraw"),
    path("nhap-lich-su/", history.history_upload, name="history_upload"),
    path("nhap-lich-su/mau.xlsx", history.history_template, name="history_template"),
    path("nhap-lich-su/<int:pk>/", history.history_preview, name="history_preview"),
    path("nhap-lich-su/<int:pk>/ghi/", history.history_commit, name="history_commit"),
]
