from django.urls import path

from hoiccb.members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("them/", views.member_create, name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/sua/", views.member_edit, name="edit"),
    path("<int:pk>/chuyen-sinh-hoat/", views.member_transfer, name="transfer"),
    path("<int:pk>/chuyen-ra-ngoai/", views.member_transfer_out, name="transfer_out"),
    path("<int:pk>/thoi-sinh-hoat/", views.member_leave, name="leave"),
    path("<int:pk>/tu-tran/", views.member_death, name="death"),
    path("<int:pk>/sinh-hoat-lai/", views.member_reinstate, name="reinstate"),
    path("<int:pk>/cap-the/", views.member_card, name="card"),
]
