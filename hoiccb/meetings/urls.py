from django.urls import include, path

from hoiccb.meetings import task_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("them/", views.meeting_create, name="create"),
    path("viec-cua-toi/", task_views.my_tasks, name="my_tasks"),
    path("viec-tre-han/", task_views.board, name="board"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/sua/", views.meeting_edit, name="edit"),
    path("<int:pk>/chuong-trinh/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/chuong-trinh.docx", views.programme_docx, name="programme"),
    path("<int:pk>/chuong-trinh.pdf", views.programme_pdf, name="programme_pdf"),
    path("<int:pk>/phan-bo/", views.allotment, name="allotment"),
    path("<int:pk>/khach-moi/", views.guest_add, name="guest_add"),
    path("<int:pk>/giay-moi.docx", views.invitations_docx, name="invitations"),
    path("<int:pk>/giay-moi.pdf", views.invitations_pdf, name="invitations_pdf"),
    path("<int:pk>/diem-danh/", views.checkin, name="checkin"),
    path("<int:pk>/nhiem-vu/", task_views.task_add, name="task_add"),
    path("<int:pk>/viec-mau/", task_views.checklist, name="checklist"),
    path("<int:pk>/bien-ban/", views.minutes, name="minutes"),
    path("<int:pk>/thong-bao-ket-luan.docx", views.conclusions_docx, name="conclusions"),
    path("<int:pk>/thong-bao-ket-luan.pdf", views.conclusions_pdf, name="conclusions_pdf"),
    path("<int:pk>/ket-luan/", views.conclusion_add, name="conclusion_add"),
    path("<int:pk>/tai-lieu/", views.document_add, name="document_add"),
    path("muc/<int:pk>/xoa/", views.agenda_remove, name="agenda_remove"),
    path("dai-bieu/don-vi/<int:pk>/", views.delegates, name="delegates"),
    path("dai-bieu/<int:pk>/xoa/", views.delegate_remove, name="delegate_remove"),
    path("dai-bieu/<int:pk>/diem-danh/", views.checkin_delegate, name="checkin_delegate"),
    path("khach/<int:pk>/tra-loi/", views.guest_reply, name="guest_reply"),
    path("khach/<int:pk>/giay-moi.docx", views.invitation_docx, name="invitation"),
    path("khach/<int:pk>/giay-moi.pdf", views.invitation_pdf, name="invitation_pdf"),
    path("khach/<int:pk>/diem-danh/", views.checkin_guest, name="checkin_guest"),
    path("viec/<int:pk>/", task_views.task_detail, name="task"),
    path("viec/<int:pk>/sua/", task_views.task_edit, name="task_edit"),
    path("viec/<int:pk>/dinh-kem/", task_views.task_attach, name="task_attach"),
    path("tep/<int:pk>/", task_views.task_file, name="task_file"),
    path("tai-lieu/<int:pk>/", views.document_file, name="document"),
    path("", include("hoiccb.meetings.elections.urls")),
]
