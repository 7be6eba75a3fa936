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
    path("<int:strategy_pk>/groups/new/", views.GroupCreate.as_view(), name="group_create"),
    path("groups/<int:pk>/", views.GroupDetail.as_view(), name="group_detail"),
    path("groups/<int:pk>/edit/", views.GroupEdit.as_view(), name="group_edit"),
    path("groups/<int:pk>/delete/", views.GroupDelete.as_view(), name="group_delete"),
    path("<int:strategy_pk>/sections/new/", views.SectionCreate.as_view(), name="section_create"),
    path("sections/<int:pk>/", views.SectionDetail.as_view(), name="section_detail"),
    path("sections/<int:pk>/edit/", views.SectionEdit.as_view(), name="section_edit"),
    path("sections/<int:pk>/delete/", views.SectionDelete.as_view(), name="section_delete"),
    path(
        "outcomes/<int:outcome_pk>/commitments/new/",
        views.CommitmentCreate.as_view(),
        name="commitment_create",
    ),
    path("commitments/<int:pk>/", views.CommitmentDetail.as_view(), name="commitment_detail"),
    path("commitments/<int:pk>/edit/", views.CommitmentEdit.as_view(), name="commitment_edit"),
    path(
        "commitments/<int:pk>/delete/", views.CommitmentDelete.as_view(), name="commitment_delete"
    ),
]
