from django.contrib.auth import views as auth_views
from django.urls import include, path

from lacstrategy import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.PersonCreate.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetail.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEdit.as_view(), name="person_edit"),
    path("strategies/", include("outcomes.urls")),
    path("", include("actionplans.urls")),
]
