from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("<uuid:pk>/", views.job_detail, name="job_detail"),
    path("<uuid:pk>/file/", views.job_file, name="job_file"),
    path("<uuid:pk>/start-again/", views.job_retry, name="job_retry"),
]
