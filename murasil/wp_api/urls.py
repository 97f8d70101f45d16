from django.urls import path, re_path

from . import views

app_name = "wp_api"

urlpatterns = [
    path("", views.api, name="index"),
    re_path(r"^(?P<route>.+)$", views.api, name="route"),
]
