from django.urls import path

from hoiccb.activities import celebration_views, inspection_views, views

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
    path("qua/tu-danh-sach-ky-niem/", celebration_views.celebration_gifts, name="celebration_gifts"),
    path("qua/xuat-excel/", views.gift_export, name="gift_export"),
    path("qua/<int:pk>/xoa/", views.gift_delete, name="gift_delete"),
    path("kiem-tra/", inspection_views.inspection_list, name="inspections"),
    path("kiem-tra/them/", inspection_views.plan_create, name="plan_create"),
    path("kiem-tra/kien-nghi/xuat-excel/", inspection_views.recommendation_export, name="recommendation_export"),
    path("kiem-tra/<int:pk>/", inspection_views.plan_detail, name="plan_detail"),
    path("kiem-tra/<int:pk>/doan/", inspection_views.delegate_add, name="delegate_add"),
    path("kiem-tra/don-vi/<int:pk>/", inspection_views.record_detail, name="record_detail"),
    path(
        "kiem-tra/don-vi/<int:pk>/ket-luan.docx",
        inspection_views.record_conclusion,
        {"fmt": "docx"},
        name="record_conclusion",
    ),
    path(
        "kiem-tra/don-vi/<int:pk>/ket-luan.pdf",
        inspection_views.record_conclusion,
        {"fmt": "pdf"},
        name="record_conclusion_pdf",
    ),
    path("kiem-tra/don-vi/<int:pk>/sua/", inspection_views.record_edit, name="record_edit"),
    path("kiem-tra/don-vi/<int:pk>/kien-nghi/", inspection_views.recommendation_add, name="recommendation_add"),
    path("kiem-tra/kien-nghi/<int:pk>/", inspection_views.recommendation_follow_up, name="follow_up"),
]
