"""The read-only feed: one list per kind of record, in pages of a cursor (stable while records
are added), or whole as CSV (`?format=csv`). Every call is logged."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics
from rest_framework.pagination import CursorPagination

from actionplans.models import Action, ActionPlan
from api import serializers
from api.services import call_record
from figures.models import IndicatorFigure
from frameworks.models import FrameworkItem
from reviews.models import OutcomeUpdate


class Pages(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = "id"


PLAN = OpenApiParameter("plan", int, description="Only this action plan's records (its id).")


class FeedList(generics.ListAPIView):
    pagination_class = Pages
    filters = {}  # query parameter: lookup

    def get_queryset(self):
        queryset = self.queryset.all()
        for parameter, lookup in self.filters.items():
            value = self.request.query_params.get(parameter, "")
            if value.isascii() and value.isdigit() and len(value) < 10:
                queryset = queryset.filter(**{lookup: int(value)})
            elif value:
                queryset = queryset.none()
        return queryset

    def paginate_queryset(self, queryset):
        # A CSV download is the whole list: what a spreadsheet refreshes from.
        if getattr(self.request.accepted_renderer, "format", "") == "csv":
            return None
        return super().paginate_queryset(queryset)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            call_record(
                token=request.auth if hasattr(request.auth, "key_hash") else None,
                user=user,
                method=request.method,
                path=request.get_full_path(),
                status=response.status_code,
            )
        return response


@extend_schema(summary="Action plans, one a year")
class PlanList(FeedList):
    queryset = ActionPlan.objects.select_related("strategy")
    serializer_class = serializers.PlanSerializer


@extend_schema(summary="The actions of the plans", parameters=[PLAN])
class ActionList(FeedList):
    queryset = Action.objects.select_related("priority_indicator__indicator").prefetch_related(
        "lead_users",
        Prefetch("framework_items", queryset=FrameworkItem.objects.select_related("framework")),
    )
    serializer_class = serializers.ActionSerializer
    filters = {"plan": "priority_indicator__action_plan_id"}


@extend_schema(summary="Outcome owners' quarterly updates", parameters=[PLAN])
class UpdateList(FeedList):
    queryset = OutcomeUpdate.objects.select_related("period", "outcome")
    serializer_class = serializers.UpdateSerializer
    filters = {"plan": "period__action_plan_id"}


@extend_schema(
    summary="Indicator figures, period by period",
    parameters=[OpenApiParameter("indicator", int, description="Only this indicator's figures.")],
)
class FigureList(FeedList):
    queryset = IndicatorFigure.objects.select_related("indicator")
    serializer_class = serializers.FigureSerializer
    filters = {"indicator": "indicator_id"}


@extend_schema(summary="Each national framework part, with what is tagged with it")
class FrameworkTagList(FeedList):
    queryset = FrameworkItem.objects.select_related("framework").prefetch_related(
        "outcomes", "indicators", "actions"
    )
    serializer_class = serializers.FrameworkTagSerializer


def feed_view(view_class):
    """A feed view: it signs in by token or session itself (not by the sign-in page)."""
    return login_not_required(view_class.as_view())


schema = login_not_required(SpectacularAPIView.as_view())
