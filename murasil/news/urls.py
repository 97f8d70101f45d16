from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("author/<str:slug>/", views.reporter_detail, name="reporter"),
    path("tag/<str:slug>/", views.tag_detail, name="tag"),
    path("<str:section>/<int:pk>/", views.article_detail, name="article_short"),
    path("<str:section>/<int:pk>/<str:slug>/", views.article_detail, name="article"),
]
