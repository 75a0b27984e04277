from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/status/", views.job_status, name="job_status"),
    path("<int:pk>/download/", views.job_download, name="job_download"),
    path("<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("<int:pk>/messages/<str:name>", views.job_mail_file, name="job_mail_file"),
]
