from django.urls import path

from frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("<int:pk>/", views.FrameworkDetail.as_view(), name="framework_detail"),
    path("<int:pk>/version.json", views.version_file, name="version_file"),
    path("<int:pk>/new-version/", views.version_upload, name="version_upload"),
    path("uploads/<int:pk>/", views.version_preview, name="version_preview"),
    path("uploads/<int:pk>/discard/", views.version_discard, name="version_discard"),
    path("plans/<int:pk>/coverage/", views.plan_coverage, name="plan_coverage"),
    path("outcomes/<int:pk>/", views.tags_views["outcome"], name="outcome_tags"),
    path("indicators/<int:pk>/", views.tags_views["indicator"], name="indicator_tags"),
    path("actions/<int:pk>/", views.tags_views["action"], name="action_tags"),
]
