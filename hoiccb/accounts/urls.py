from django.urls import path

from hoiccb.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="list"),
    path("them/", views.user_create, name="create"),
    path("<int:pk>/sua/", views.user_edit, name="edit"),
]
