"""The election pages, in the meetings namespace (included by meetings/urls.py)."""

from django.urls import path

from hoiccb.meetings.elections import views

urlpatterns = [
    path("<int:pk>/bau-cu/them/", views.election_create, name="election_create"),
    path("bau-cu/<int:pk>/", views.election_detail, name="election"),
    path("bau-cu/<int:pk>/ung-cu-vien/", views.candidate_add, name="candidate_add"),
    path("bau-cu/<int:pk>/thong-qua/", views.list_approve, name="list_approve"),
    path("bau-cu/<int:pk>/bau-lai/", views.further_round, name="further_round"),
    path("bau-cu/<int:pk>/xac-nhan/", views.confirm, name="election_confirm"),
    path("bau-cu/<int:pk>/huy-xac-nhan/", views.revert, name="election_revert"),
    path("bau-cu/<int:pk>/bien-ban-kiem-phieu.docx", views.minutes_docx, name="count_minutes"),
    path("bau-cu/<int:pk>/bien-ban-kiem-phieu.pdf", views.minutes_pdf, name="count_minutes_pdf"),
    path("bau-cu/<int:pk>/thong-bao-ket-qua.docx", views.announcement_docx, name="announcement"),
    path("bau-cu/<int:pk>/thong-bao-ket-qua.pdf", views.announcement_pdf, name="announcement_pdf"),
    path("ung-cu-vien/<int:pk>/xoa/", views.candidate_remove, name="candidate_remove"),
    path("lan-bau/<int:pk>/phieu-bau.pdf", views.ballots_pdf, name="ballots_pdf"),
    path("lan-bau/<int:pk>/ket-thuc-bo-phieu/", views.voting_close, name="voting_close"),
    path("lan-bau/<int:pk>/kiem-phieu/", views.counting, name="counting"),
    path("lan-bau/<int:pk>/tap-moi/", views.batch_open, name="batch_open"),
    path("lan-bau/<int:pk>/ky/", views.round_sign, name="round_sign"),
    path("tap-phieu/<int:pk>/", views.batch_entry, name="batch"),
    path("tap-phieu/<int:pk>/tinh/", views.batch_count, name="batch_count"),
    path("phieu/<int:pk>/xoa/", views.ballot_remove, name="ballot_remove"),
]
