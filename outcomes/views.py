from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst

from figures.selectors import figure_history, indicator_picture
from lacstrategy import permissions
from lacstrategy.models import with_article
from lacstrategy.record_views import RecordDeleteView, RecordDetailView, RecordFormView
from lacstrategy.selectors import terms
from outcomes import selectors, services
from outcomes.forms import (
    CommitmentForm,
    GroupForm,
    IndicatorForm,
    OutcomeForm,
    SectionForm,
    StrategyForm,
)
from outcomes.models import Commitment, Indicator, Outcome, OutcomeGroup, Strategy, StrategySection


def strategy_crumbs(strategy):
    return [
        ("Strategies", reverse("outcomes:strategy_list")),
        (strategy.title, strategy.get_absolute_url()),
    ]


def outcome_crumbs(outcome):
    return [
        *strategy_crumbs(outcome.strategy),
        (f"{capfirst(terms().outcome)} {outcome.reference}", outcome.get_absolute_url()),
    ]


def strategy_list(request):
    permissions.require(request.user, "lacstrategy.view_records")
    return render(
        request,
        "outcomes/strategy_list.html",
        {"strategies": selectors.strategy_list()},
    )


# Strategies


class StrategyDetail(RecordDetailView):
    template_name = "outcomes/strategy_detail.html"

    def load(self):
        return selectors.strategy_detail(pk=self.kwargs["pk"])

    def extra_context(self):
        strategy = self.object
        sections = selectors.outcomes_by_heading(strategy.outcomes.all())
        used = {outcome.group_id for outcome in strategy.outcomes.all()}
        return {
            "outcome_sections": sections,
            # Where the kinds are the headings, the outcomes need no kind tag of their own.
            "kinds_are_headings": not any(o.group_id for o in strategy.outcomes.all())
            and any(o.kind for o in strategy.outcomes.all()),
            "empty_groups": [group for group in strategy.groups.all() if group.pk not in used],
            "plan_headings": [o for o in strategy.outcomes.all() if o.is_heading],
        }

    def breadcrumbs(self):
        return strategy_crumbs(self.object)[:1]


class StrategyCreate(RecordFormView):
    permission = "outcomes.add_strategy"
    form_class = StrategyForm
    title = "Add a strategy"

    def new_instance(self):
        return Strategy()

    def breadcrumbs(self):
        return [("Strategies", reverse("outcomes:strategy_list"))]

    def cancel_url(self):
        return reverse("outcomes:strategy_list")

    def save(self, form):
        return services.strategy_create(actor=self.request.user, **form.service_kwargs())


class StrategyEdit(RecordFormView):
    permission = "outcomes.change_strategy"
    queryset = Strategy.objects.all()
    form_class = StrategyForm
    title = "Edit the strategy"

    def breadcrumbs(self):
        return strategy_crumbs(self.object)

    def save(self, form):
        return services.strategy_update(
            strategy=self.object, actor=self.request.user, **form.service_kwargs()
        )


class StrategyDelete(RecordDeleteView):
    permission = "outcomes.delete_strategy"
    queryset = Strategy.objects.all()

    def breadcrumbs(self):
        return strategy_crumbs(self.object)

    def after_delete_url(self):
        return reverse("outcomes:strategy_list")

    def delete(self, reason):
        services.strategy_delete(strategy=self.object, actor=self.request.user, reason=reason)


# Outcomes


class OutcomeDetail(RecordDetailView):
    template_name = "outcomes/outcome_detail.html"

    def load(self):
        return selectors.outcome_detail(pk=self.kwargs["pk"])

    def extra_context(self):
        return {"indicator_rows": selectors.outcome_indicator_rows(outcome=self.object)}

    def breadcrumbs(self):
        return strategy_crumbs(self.object.strategy)


class OutcomeCreate(RecordFormView):
    permission = "outcomes.add_outcome"
    queryset = Strategy.objects.all()
    pk_kwarg = "strategy_pk"
    form_class = OutcomeForm

    @property
    def title(self):
        return f"Add {terms().an_outcome}"

    def new_instance(self):
        return Outcome(strategy=self.object)

    def breadcrumbs(self):
        return strategy_crumbs(self.object)

    def save(self, form):
        return services.outcome_create(
            strategy=self.object, actor=self.request.user, **form.service_kwargs()
        )


class OutcomeEdit(RecordFormView):
    permission = "outcomes.change_outcome"
    queryset = Outcome.objects.select_related("strategy")
    form_class = OutcomeForm

    @property
    def title(self):
        return f"Edit the {terms().outcome}"

    def breadcrumbs(self):
        return outcome_crumbs(self.object)

    def save(self, form):
        return services.outcome_update(
            outcome=self.object, actor=self.request.user, **form.service_kwargs()
        )


class OutcomeDelete(RecordDeleteView):
    permission = "outcomes.delete_outcome"
    queryset = Outcome.objects.select_related("strategy")

    def breadcrumbs(self):
        return outcome_crumbs(self.object)

    def after_delete_url(self):
        return self.object.strategy.get_absolute_url()

    def delete(self, reason):
        services.outcome_delete(outcome=self.object, actor=self.request.user, reason=reason)


# Indicators


class IndicatorDetail(RecordDetailView):
    template_name = "outcomes/indicator_detail.html"

    def load(self):
        return selectors.indicator_detail(pk=self.kwargs["pk"])

    def extra_context(self):
        current = selectors.current_priority(self.object)
        picture = indicator_picture(indicator=self.object, priority_indicator=current)
        return {"picture": picture, "figure_history": figure_history(indicator=self.object)}

    def breadcrumbs(self):
        return outcome_crumbs(self.object.outcome)


class IndicatorCreate(RecordFormView):
    permission = "outcomes.add_indicator"
    queryset = Outcome.objects.select_related("strategy")
    pk_kwarg = "outcome_pk"
    form_class = IndicatorForm
    title = "Add an indicator"

    def new_instance(self):
        return Indicator(outcome=self.object)

    def breadcrumbs(self):
        return outcome_crumbs(self.object)

    def save(self, form):
        return services.indicator_create(
            outcome=self.object, actor=self.request.user, **form.service_kwargs()
        )


class IndicatorEdit(RecordFormView):
    permission = "outcomes.change_indicator"
    queryset = Indicator.objects.select_related("outcome__strategy")
    form_class = IndicatorForm
    title = "Edit the indicator"

    def breadcrumbs(self):
        return outcome_crumbs(self.object.outcome)

    def save(self, form):
        return services.indicator_update(
            indicator=self.object, actor=self.request.user, **form.service_kwargs()
        )


class IndicatorDelete(RecordDeleteView):
    permission = "outcomes.delete_indicator"
    queryset = Indicator.objects.select_related("outcome__strategy")

    def breadcrumbs(self):
        return outcome_crumbs(self.object.outcome)

    def after_delete_url(self):
        return self.object.outcome.get_absolute_url()

    def delete(self, reason):
        services.indicator_delete(indicator=self.object, actor=self.request.user, reason=reason)


# The strategy's groups of outcomes


class GroupDetail(RecordDetailView):
    template_name = "outcomes/group_detail.html"
    queryset = OutcomeGroup.objects.select_related("strategy").prefetch_related("outcomes")

    def breadcrumbs(self):
        return strategy_crumbs(self.object.strategy)


class GroupCreate(RecordFormView):
    permission = "outcomes.manage_groups"
    queryset = Strategy.objects.all()
    pk_kwarg = "strategy_pk"
    form_class = GroupForm

    @property
    def title(self):
        return f"Add {with_article(terms().group)}"

    def new_instance(self):
        return OutcomeGroup(strategy=self.object)

    def breadcrumbs(self):
        return strategy_crumbs(self.object)

    def save(self, form):
        return services.group_create(
            strategy=self.object, actor=self.request.user, **form.service_kwargs()
        )


class GroupEdit(RecordFormView):
    permission = "outcomes.manage_groups"
    queryset = OutcomeGroup.objects.select_related("strategy")
    form_class = GroupForm

    @property
    def title(self):
        return f"Edit the {terms().group}"

    def breadcrumbs(self):
        return strategy_crumbs(self.object.strategy)

    def save(self, form):
        return services.group_update(
            group=self.object, actor=self.request.user, **form.service_kwargs()
        )


class GroupDelete(RecordDeleteView):
    permission = "outcomes.manage_groups"
    queryset = OutcomeGroup.objects.select_related("strategy")

    def breadcrumbs(self):
        return strategy_crumbs(self.object.strategy)

    def after_delete_url(self):
        return self.object.strategy.get_absolute_url()

    def delete(self, reason):
        services.group_delete(group=self.object, actor=self.request.user, reason=reason)


# The strategy's named sections


class SectionDetail(RecordDetailView):
    template_name = "outcomes/section_detail.html"
    queryset = StrategySection.objects.select_related("strategy")

    def breadcrumbs(self):
        return strategy_crumbs(self.object.strategy)


class SectionCreate(RecordFormView):
    permission = "outcomes.manage_sections"
    queryset = Strategy.objects.all()
    pk_kwarg = "strategy_pk"
    form_class = SectionForm
    title = "Add a section to the strategy"

    def new_instance(self):
        return StrategySection(strategy=self.object)

    def breadcrumbs(self):
        return strategy_crumbs(self.object)

    def save(self, form):
        return services.section_create(
            strategy=self.object, actor=self.request.user, **form.service_kwargs()
        )


class SectionEdit(RecordFormView):
    permission = "outcomes.manage_sections"
    queryset = StrategySection.objects.select_related("strategy")
    form_class = SectionForm
    title = "Edit the section"

    def breadcrumbs(self):
        return strategy_crumbs(self.object.strategy)

    def save(self, form):
        return services.section_update(
            section=self.object, actor=self.request.user, **form.service_kwargs()
        )


class SectionDelete(RecordDeleteView):
    permission = "outcomes.manage_sections"
    queryset = StrategySection.objects.select_related("strategy")

    def breadcrumbs(self):
        return strategy_crumbs(self.object.strategy)

    def after_delete_url(self):
        return self.object.strategy.get_absolute_url()

    def delete(self, reason):
        services.section_delete(section=self.object, actor=self.request.user, reason=reason)


# An outcome's commitments


class CommitmentDetail(RecordDetailView):
    template_name = "outcomes/commitment_detail.html"
    queryset = Commitment.objects.select_related("outcome__strategy", "outcome__group")

    def extra_context(self):
        return {"actions": selectors.actions_delivering(commitment=self.object)}

    def breadcrumbs(self):
        return outcome_crumbs(self.object.outcome)


class CommitmentCreate(RecordFormView):
    permission = "outcomes.manage_commitments"
    queryset = Outcome.objects.select_related("strategy", "group")
    pk_kwarg = "outcome_pk"
    form_class = CommitmentForm
    title = "Add a commitment"

    def new_instance(self):
        return Commitment(outcome=self.object)

    def breadcrumbs(self):
        return outcome_crumbs(self.object)

    def save(self, form):
        return services.commitment_create(
            outcome=self.object, actor=self.request.user, **form.service_kwargs()
        )


class CommitmentEdit(RecordFormView):
    permission = "outcomes.manage_commitments"
    queryset = Commitment.objects.select_related("outcome__strategy", "outcome__group")
    form_class = CommitmentForm
    title = "Edit the commitment"

    def breadcrumbs(self):
        return outcome_crumbs(self.object.outcome)

    def save(self, form):
        return services.commitment_update(
            commitment=self.object, actor=self.request.user, **form.service_kwargs()
        )


class CommitmentDelete(RecordDeleteView):
    permission = "outcomes.manage_commitments"
    queryset = Commitment.objects.select_related("outcome__strategy", "outcome__group")

    def breadcrumbs(self):
        return outcome_crumbs(self.object.outcome)

    def after_delete_url(self):
        return self.object.outcome.get_absolute_url()

    def delete(self, reason):
        services.commitment_delete(commitment=self.object, actor=self.request.user, reason=reason)
