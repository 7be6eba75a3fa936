from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/<int:period_pk>/", views.ReportCreate.as_view(), name="report_create"),
    path("new/annual/<int:plan_pk>/", views.AnnualReportCreate.as_view(), name="annual_create"),
    path(
        "new/strategy/<int:strategy_pk>/",
        views.StrategyReportCreate.as_view(),
        name="strategy_report_create",
    ),
    path("<int:pk>/", views.ReportDetail.as_view(), name="report_detail"),
    path("<int:pk>/edit/", views.ReportEdit.as_view(), name="report_edit"),
    path("<int:pk>/print/", views.report_print, name="report_print"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/draft.pdf", views.report_draft_pdf, name="report_draft_pdf"),
    path("<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("<int:pk>/new-version/", views.report_new_version, name="report_new_version"),
    path("plans/<int:pk>/", views.plan_document, name="plan_document"),
    path("plans/<int:pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/plan.docx", views.plan_document, {"fmt": "docx"}, name="plan_docx"),
    path("plans/<int:pk>/plan.xlsx", views.plan_document, {"fmt": "xlsx"}, name="plan_xlsx"),
    path("strategies/<int:pk>/", views.strategy_document, name="strategy_document"),
    path("strategies/<int:pk>/strategy.pdf", views.strategy_pdf, name="strategy_pdf"),
    path(
        "strategies/<int:pk>/strategy.docx",
        views.strategy_document,
        {"fmt": "docx"},
        name="strategy_docx",
    ),
    path(
        "strategies/<int:pk>/strategy.xlsx",
        views.strategy_document,
        {"fmt": "xlsx"},
        name="strategy_xlsx",
    ),
]
