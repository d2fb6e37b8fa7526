from django.urls import path

from hoiccb.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="list"),
    path("them/", views.user_create, name="create"),
    path("them-nhieu/", views.user_bulk_create, name="bulk_create"),
    path("<int:pk>/sua/", views.user_edit, name="edit"),
    path("<int:pk>/dat-lai-hai-buoc/", views.second_factor_reset, name="second_factor_reset"),
    path("hai-buoc/", views.second_factor, name="second_factor"),
    path("xac-thuc/", views.verify, name="verify"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
]
