from django.urls import path

from hoiccb.org import views

app_name = "org"
urlpatterns = [
    path("", views.unit_tree, name="tree"),
    path("them/", views.unit_create, name="create"),
    path("chon/", views.unit_picker, name="picker"),
    path("nhap/", views.unit_import, name="import"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/sua/", views.unit_edit, name="edit"),
    path("<int:pk>/chuyen/", views.unit_move, name="move"),
    path("<int:pk>/sap-nhap/", views.unit_merge, name="merge"),
    path("<int:pk>/nhiem-ky/them/", views.term_create, name="term_create"),
    path("<int:pk>/chuc-vu/them/", views.officer_create, name="officer_create"),
    path("chuc-vu/<int:pk>/ket-thuc/", views.officer_end, name="officer_end"),
]
