from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api import pages as api_pages
from lacstrategy import history_views, passwords, sessions, two_step, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True,
            extra_context={
                "failure_limit": settings.AXES_FAILURE_LIMIT,
                "cooloff_minutes": settings.AXES_COOLOFF_MINUTES,
            },
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    *passwords.urlpatterns,
    *sessions.urlpatterns,
    *two_step.urlpatterns,
    path("council/", views.CouncilSettings.as_view(), name="council_settings"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
    path("help/", views.help_page, name="help"),
    path("contact/", views.contact, name="contact"),
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.PersonCreate.as_view(), name="person_create"),
    path("people/sign-ins/", views.access_log, name="access_log"),
    path("people/<int:pk>/unlock/", views.person_unlock, name="person_unlock"),
    path("people/<int:pk>/", views.PersonDetail.as_view(), name="person_detail"),
    path("people/<int:pk>/api-tokens/new/", api_pages.token_create, name="api_token_create"),
    path("api-tokens/<int:pk>/", api_pages.token_detail, name="api_token_detail"),
    path("api-tokens/<int:pk>/revoke/", api_pages.token_revoke, name="api_token_revoke"),
    path("feed/", api_pages.feed_guide, name="feed_guide"),
    path("people/<int:pk>/edit/", views.PersonEdit.as_view(), name="person_edit"),
    path("changes/", history_views.recent_changes, name="recent_changes"),
    path("changes/deleted/", history_views.deleted_records, name="deleted_records"),
    path(
        "changes/<slug:kind>/<int:history_id>/revert/",
        history_views.revert_record,
        name="revert_record",
    ),
    path(
        "changes/<slug:kind>/<int:history_id>/restore/",
        history_views.restore_record,
        name="restore_record",
    ),
    path("strategies/", include("outcomes.urls")),
    path("frameworks/", include("frameworks.urls")),
    path("you-said-we-did/", include("voices.urls")),
    path("public/", include("public.urls")),
    path("api/v1/", include("api.urls")),
    path("reviews/", include("reviews.urls")),
    path("figures/", include("figures.urls")),
    path("reports/", include("reports.urls")),
    path("jobs/", include("jobs.urls")),
    path("search/", include("search.urls")),
    path("people/redactions/", include("redaction.urls")),
    path("", include("actionplans.urls")),
]
