from django.urls import path

from hoiccb.members import forms, views

app_name = "members"

# Lifecycle steps: one view, one form (which names its service) per step.
LIFECYCLE_STEPS = [
    ("chuyen-sinh-hoat", forms.TransferForm, "transfer"),
    ("chuyen-ra-ngoai", forms.TransferOutForm, "transfer_out"),
    ("thoi-sinh-hoat", forms.LeaveForm, "leave"),
    ("tu-tran", forms.DeathForm, "death"),
    ("sinh-hoat-lai", forms.ReinstateForm, "reinstate"),
    ("cap-the", forms.CardForm, "card"),
]

urlpatterns = [
    path("", views.member_list, name="list"),
    path("them/", views.member_create, name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/sua/", views.member_edit, name="edit"),
    *(
        path(f"<int:pk>/{slug}/", views.member_action, {"form_class": form_class}, name=name)
        for slug, form_class, name in LIFECYCLE_STEPS
    ),
]
