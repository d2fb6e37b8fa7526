from django.urls import path

from hoiccb.news import views

app_name = "news"

urlpatterns = [
    # Public: no login, published articles only.
    path("", views.public_list, name="list"),
    path("tim/", views.public_search, name="search"),
    path("rss.xml", views.feed, name="feed"),
    path("atom.xml", views.atom_feed, name="atom"),
    path("chuyen-muc/<slug:slug>/", views.public_category, name="category"),
    path("bai/<slug:slug>/", views.public_article, name="article"),
    path("anh/<int:pk>/", views.photo, name="photo"),
    # Staff: writing, previewing, publishing.
    path("quan-ly/", views.manage_list, name="manage"),
    path("quan-ly/viet/", views.article_create, name="create"),
    path("quan-ly/<int:pk>/", views.article_preview, name="preview"),
    path("quan-ly/<int:pk>/sua/", views.article_edit, name="edit"),
    path("quan-ly/<int:pk>/dang/", views.article_publish, name="publish"),
    path("quan-ly/<int:pk>/go/", views.article_withdraw, name="withdraw"),
    path("quan-ly/<int:pk>/anh/", views.photo_add, name="photo_add"),
    path("quan-ly/anh/<int:pk>/xoa/", views.photo_remove, name="photo_remove"),
]
