from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("schema/", views.schema, name="schema"),
    path("plans/", views.feed_view(views.PlanList), name="plans"),
    path("actions/", views.feed_view(views.ActionList), name="actions"),
    path("updates/", views.feed_view(views.UpdateList), name="updates"),
    path("figures/", views.feed_view(views.FigureList), name="figures"),
    path("framework-tags/", views.feed_view(views.FrameworkTagList), name="framework_tags"),
]
