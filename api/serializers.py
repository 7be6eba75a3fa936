"""The feed's records as flat rows (a spreadsheet's columns), the same in JSON and in CSV."""

from rest_framework import serializers

from actionplans.models import Action, ActionPlan
from figures.models import IndicatorFigure
from frameworks.models import FrameworkItem
from reviews.models import OutcomeUpdate


class PlanSerializer(serializers.ModelSerializer):
    strategy = serializers.CharField(source="strategy.title")
    year = serializers.CharField(source="year_label")

    class Meta:
        model = ActionPlan
        fields = ["id", "strategy_id", "strategy", "year", "financial_year_start", "status"]


class ActionSerializer(serializers.ModelSerializer):
    plan_id = serializers.IntegerField(source="priority_indicator.action_plan_id")
    outcome_id = serializers.IntegerField(source="priority_indicator.indicator.outcome_id")
    priority_indicator = serializers.CharField(source="priority_indicator.indicator.title")
    leads = serializers.SerializerMethodField()
    framework_items = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "plan_id",
            "outcome_id",
            "priority_indicator_id",
            "priority_indicator",
            "reference",
            "description",
            "undertaken_by",
            "target_date",
            "target_text",
            "status",
            "rag",
            "leads",
            "framework_items",
        ]

    def get_leads(self, action) -> list[str]:
        return [str(person) for person in action.lead_users.all()]

    def get_framework_items(self, action) -> list[str]:
        return [f"{item.framework.code}/{item.code}" for item in action.framework_items.all()]


class UpdateSerializer(serializers.ModelSerializer):
    plan_id = serializers.IntegerField(source="period.action_plan_id")
    quarter = serializers.IntegerField(source="period.quarter")
    outcome_number = serializers.IntegerField(source="outcome.number")

    class Meta:
        model = OutcomeUpdate
        fields = [
            "id",
            "plan_id",
            "quarter",
            "outcome_id",
            "outcome_number",
            "status",
            "overall_rag",
            "summary",
            "submitted_at",
            "decided_at",
        ]


class FigureSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.title")
    unit = serializers.CharField(source="indicator.unit")

    class Meta:
        model = IndicatorFigure
        fields = [
            "id",
            "indicator_id",
            "indicator",
            "unit",
            "period_label",
            "period_end",
            "value",
            "numerator",
            "denominator",
            "suppressed",
            "is_illustrative",
        ]


class FrameworkTagSerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.code")
    edition = serializers.CharField(source="framework.edition")
    outcome_ids = serializers.PrimaryKeyRelatedField(source="outcomes", many=True, read_only=True)
    indicator_ids = serializers.PrimaryKeyRelatedField(
        source="indicators", many=True, read_only=True
    )
    action_ids = serializers.PrimaryKeyRelatedField(source="actions", many=True, read_only=True)

    class Meta:
        model = FrameworkItem
        fields = [
            "id",
            "framework",
            "edition",
            "code",
            "label",
            "title",
            "outcome_ids",
            "indicator_ids",
            "action_ids",
        ]
