from django.urls import path

from actionplans import views

app_name = "actionplans"

urlpatterns = [
    path(
        "strategies/<int:strategy_pk>/plans/new/",
        views.ActionPlanCreate.as_view(),
        name="plan_create",
    ),
    path("plans/<int:pk>/", views.ActionPlanDetail.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.ActionPlanEdit.as_view(), name="plan_edit"),
    path("plans/<int:pk>/changes/", views.plan_changes, name="plan_changes"),
    path("plans/<int:pk>/as-it-stood/", views.plan_as_at, name="plan_as_at"),
    path("plans/<int:pk>/annual-review/", views.annual_review, name="annual_review"),
    path("plans/<int:pk>/annual-summary/", views.annual_summary, name="annual_summary"),
    path("plans/<int:pk>/delete/", views.ActionPlanDelete.as_view(), name="plan_delete"),
    path("plans/<int:pk>/action-plan.xlsx", views.plan_spreadsheet, name="plan_spreadsheet"),
    path(
        "plans/action-plan-template.xlsx",
        views.plan_spreadsheet_template,
        name="plan_spreadsheet_template",
    ),
    path("plans/<int:pk>/import/", views.plan_import_upload, name="plan_import_upload"),
    path("plan-imports/<int:pk>/", views.plan_import_confirm, name="plan_import_preview"),
    path("plan-imports/<int:pk>/discard/", views.plan_import_discard, name="plan_import_discard"),
    path(
        "plans/<int:plan_pk>/priorities/new/",
        views.PriorityIndicatorCreate.as_view(),
        name="priority_indicator_create",
    ),
    path(
        "priorities/<int:pk>/",
        views.PriorityIndicatorDetail.as_view(),
        name="priority_indicator_detail",
    ),
    path(
        "priorities/<int:pk>/edit/",
        views.PriorityIndicatorEdit.as_view(),
        name="priority_indicator_edit",
    ),
    path(
        "priorities/<int:pk>/delete/",
        views.PriorityIndicatorDelete.as_view(),
        name="priority_indicator_delete",
    ),
    path(
        "plans/<int:plan_pk>/outcomes/<int:outcome_pk>/as-a-whole/",
        views.outcome_priority,
        name="outcome_priority",
    ),
    path(
        "priorities/<int:priority_pk>/actions/new/",
        views.ActionCreate.as_view(),
        name="action_create",
    ),
    path("actions/<int:pk>/", views.ActionDetail.as_view(), name="action_detail"),
    path("actions/<int:pk>/edit/", views.ActionEdit.as_view(), name="action_edit"),
    path("actions/<int:pk>/delete/", views.ActionDelete.as_view(), name="action_delete"),
]
