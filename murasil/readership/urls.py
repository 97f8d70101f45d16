from django.urls import path

from . import views

app_name = "readership"
urlpatterns = [path("view/<int:pk>/", views.view_beacon, name="view")]
