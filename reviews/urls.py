from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("my-updates/", views.my_updates, name="my_updates"),
    path("decisions/", views.decisions, name="decisions"),
    path(
        "periods/<int:period_pk>/outcomes/<int:outcome_pk>/update/",
        views.update_form,
        name="update_form",
    ),
    path("updates/<int:pk>/", views.update_detail, name="update_detail"),
    path("updates/<int:pk>/check/", views.update_check, name="update_check"),
    path("updates/<int:pk>/accept/", views.update_accept, name="update_accept"),
    path("updates/<int:pk>/return/", views.update_return, name="update_return"),
    path("periods/<int:pk>/", views.period_dashboard, name="period_dashboard"),
    path(
        "periods/<int:pk>/outcomes/<int:outcome_pk>/",
        views.outcome_review,
        name="outcome_review",
    ),
    path("periods/<int:pk>/edit/", views.PeriodEdit.as_view(), name="period_edit"),
    path(
        "periods/<int:pk>/open-or-close/",
        views.period_open_or_close,
        name="period_open_or_close",
    ),
]
