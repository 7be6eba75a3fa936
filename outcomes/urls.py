from django.urls import path

from outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.strategy_list, name="strategy_list"),
    path("new/", views.StrategyCreate.as_view(), name="strategy_create"),
    path("<int:pk>/", views.StrategyDetail.as_view(), name="strategy_detail"),
    path("<int:pk>/edit/", views.StrategyEdit.as_view(), name="strategy_edit"),
    path("<int:pk>/delete/", views.StrategyDelete.as_view(), name="strategy_delete"),
    path("<int:strategy_pk>/outcomes/new/", views.OutcomeCreate.as_view(), name="outcome_create"),
    path("outcomes/<int:pk>/", views.OutcomeDetail.as_view(), name="outcome_detail"),
    path("outcomes/<int:pk>/edit/", views.OutcomeEdit.as_view(), name="outcome_edit"),
    path("outcomes/<int:pk>/delete/", views.OutcomeDelete.as_view(), name="outcome_delete"),
    path(
        "outcomes/<int:outcome_pk>/indicators/new/",
        views.IndicatorCreate.as_view(),
        name="indicator_create",
    ),
    path("indicators/<int:pk>/", views.IndicatorDetail.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.IndicatorEdit.as_view(), name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.IndicatorDelete.as_view(), name="indicator_delete"),
]
