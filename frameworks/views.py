from django.forms import modelform_factory
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import capfirst

from actionplans.models import ActionPlan
from actionplans.views import ACTION_QUERYSET, plan_crumbs
from frameworks import selectors, services
from frameworks.forms import FrameworkTagsForm
from lacstrategy import permissions
from lacstrategy.record_views import RecordDetailView, RecordFormView
from lacstrategy.selectors import in_council_words
from outcomes.models import Indicator, Outcome


def framework_list(request):
    """The frameworks a council is judged against, each version with its source."""
    permissions.require(request.user, "lacstrategy.view_records")
    return render(
        request, "frameworks/framework_list.html", {"frameworks": selectors.framework_versions()}
    )


class FrameworkDetail(RecordDetailView):
    template_name = "frameworks/framework_detail.html"

    def load(self):
        return selectors.framework_detail(pk=self.kwargs["pk"])

    def breadcrumbs(self):
        return [("National frameworks", reverse("frameworks:framework_list"))]


def plan_coverage(request, pk):
    """How a year's plan covers each framework in use and the strategy's commitments."""
    plan = get_object_or_404(ActionPlan.objects.select_related("strategy"), pk=pk)
    permissions.require(request.user, "lacstrategy.view_records", plan)
    frameworks, commitments = selectors.framework_coverage(
        strategy_id=plan.strategy_id, action_plan=plan
    )
    return render(
        request,
        "frameworks/plan_coverage.html",
        {
            "object": plan,
            "frameworks": frameworks,
            "commitments": commitments,
            "breadcrumbs": plan_crumbs(plan),
        },
    )


class FrameworkTagsEdit(RecordFormView):
    """Which frameworks an outcome, indicator or action serves: one view for the three, each
    asking the permission to edit that record."""

    title = "National frameworks it serves"

    def get_form(self, data=None):
        form_class = modelform_factory(type(self.object), form=FrameworkTagsForm, fields=[])
        return form_class(data, instance=self.object, frameworks=selectors.frameworks_in_use())

    @property
    def caption(self):
        return f"{capfirst(in_council_words(self.object._meta.verbose_name))}: {self.object}"

    def breadcrumbs(self):
        return [(self.caption, self.object.get_absolute_url())]

    def save(self, form):
        return services.framework_tags_save(
            record=self.object, actor=self.request.user, **form.service_kwargs()
        )


TAGGED = {
    "outcome": (Outcome.objects.select_related("strategy"), "outcomes.change_outcome"),
    "indicator": (
        Indicator.objects.select_related("outcome__strategy"),
        "outcomes.change_indicator",
    ),
    "action": (ACTION_QUERYSET, "actionplans.change_action"),
}
tags_views = {
    kind: FrameworkTagsEdit.as_view(queryset=queryset, permission=permission)
    for kind, (queryset, permission) in TAGGED.items()
}
