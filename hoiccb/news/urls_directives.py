from django.urls import path

from hoiccb.news import views_directives as views

app_name = "directives"

urlpatterns = [
    path("", views.directive_list, name="list"),
    path("gui/", views.directive_create, name="create"),
    path("<int:pk>/", views.directive_detail, name="detail"),
    path("<int:pk>/tai-ve/", views.directive_download, name="download"),
    path("<int:pk>/xac-nhan/", views.directive_confirm, name="confirm"),
    path("<int:pk>/nhac/", views.directive_remind, name="remind"),
]
