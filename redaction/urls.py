from django.urls import path

from redaction import views

app_name = "redaction"

urlpatterns = [
    path("", views.redaction_list, name="redaction_list"),
    path("new/", views.redaction_new, name="redaction_new"),
    path("<int:pk>/", views.redaction_detail, name="redaction_detail"),
]
