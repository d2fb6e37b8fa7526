from django.urls import path

from hoiccb.activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("lich/", views.activity_calendar, name="calendar"),
    path("xuat-excel/", views.activity_export, name="export"),
    path("them/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/sua/", views.activity_edit, name="edit"),
    path("<int:pk>/xoa/", views.activity_delete, name="delete"),
    path("<int:pk>/nguoi-tham-gia/", views.activity_participants, name="participants"),
    path("<int:pk>/tai-tep/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/tang-qua/", views.gift_add, name="gift_add"),
    path("tep/<int:pk>/", views.attachment_download, name="attachment"),
    path("tep/<int:pk>/xoa/", views.attachment_delete, name="attachment_delete"),
    path("qua/", views.gift_report, name="gifts"),
    path("qua/xuat-excel/", views.gift_export, name="gift_export"),
    path("qua/<int:pk>/xoa/", views.gift_delete, name="gift_delete"),
    path("kiem-tra/", views.inspection_list, name="inspections"),
    path("kiem-tra/them/", views.plan_create, name="plan_create"),
    path("kiem-tra/kien-nghi/xuat-excel/", views.recommendation_export, name="recommendation_export"),
    path("kiem-tra/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("kiem-tra/<int:pk>/doan/", views.delegate_add, name="delegate_add"),
    path("kiem-tra/don-vi/<int:pk>/", views.record_detail, name="record_detail"),
    path("kiem-tra/don-vi/<int:pk>/sua/", views.record_edit, name="record_edit"),
    path("kiem-tra/don-vi/<int:pk>/kien-nghi/", views.recommendation_add, name="recommendation_add"),
    path("kiem-tra/kien-nghi/<int:pk>/", views.recommendation_follow_up, name="follow_up"),
]
