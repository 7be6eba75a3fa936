from django.urls import path

from figures import views

app_name = "figures"

urlpatterns = [
    path("library/", views.standard_library, name="library"),
    path("library/adopt/", views.adopt_standard, name="adopt_standard"),
    path("council/", views.CouncilProfileEdit.as_view(), name="council_profile"),
    path("indicators/<int:pk>/chart.svg", views.indicator_chart, name="indicator_chart"),
    path("indicators/<int:pk>/import/", views.import_upload, name="import_upload"),
    path(
        "indicators/<int:pk>/import-profile/",
        views.ImportProfileEdit.as_view(),
        name="import_profile",
    ),
    path("imports/<int:pk>/", views.import_preview, name="import_preview"),
    path("strategies/<int:pk>/enter/", views.figure_entry, name="figure_entry"),
]
