from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from actionplans.forms import PeriodForm as ChangesPeriodForm
from actionplans.views import plan_crumbs
from lacstrategy import history, permissions
from lacstrategy.forms import ReasonForm
from lacstrategy.record_views import RecordFormView
from lacstrategy.selectors import terms
from lacstrategy.services import EditConflict
from outcomes.models import Outcome
from reports.selectors import quarter_exceptions
from reviews import selectors, services
from reviews.forms import (
    ActionEntryForm,
    IndicatorEntryForm,
    OutcomeSummaryForm,
    PeriodForm,
    ReturnForm,
)
from reviews.models import OutcomeUpdate, ReviewPeriod
from voices.selectors import voices_about_outcome


def _period(pk):
    return get_object_or_404(ReviewPeriod.objects.select_related("action_plan__strategy"), pk=pk)


def _period_crumbs(period):
    return [
        *plan_crumbs(period.action_plan),
        (f"Q{period.quarter} review", period.get_absolute_url()),
    ]


def _update(pk):
    return get_object_or_404(
        OutcomeUpdate.objects.select_related(
            "period__action_plan__strategy", "outcome", "submitted_by", "decided_by"
        ).prefetch_related("outcome__owners"),
        pk=pk,
    )


def my_updates(request):
    permissions.require(request.user, "lacstrategy.view_records")
    tasks = selectors.my_tasks(user=request.user)
    return render(request, "reviews/my_updates.html", {"tasks": tasks})


def decisions(request):
    """Every update waiting for this person's decision; home lists the oldest few."""
    permissions.require(request.user, "lacstrategy.view_records")
    tasks = selectors.updates_to_decide(user=request.user)
    return render(request, "reviews/decisions.html", {"tasks": tasks})


# The outcome owner's update


def _entry_forms(sheet, data=None):
    action_forms = [
        (
            number,
            action,
            previous,
            ActionEntryForm(
                data,
                prefix=f"action-{action.pk}",
                action=action,
                number=number,
                entry=entry,
                previous=previous,
            ),
        )
        for number, action, entry, previous in sheet.rows()
    ]
    figure_forms = [
        (
            pi,
            previous,
            IndicatorEntryForm(
                data, prefix=f"figure-{pi.pk}", priority=pi, entry=entry, previous=previous
            ),
        )
        for pi, entry, previous in sheet.figure_rows()
    ]
    update = sheet.update
    summary_form = OutcomeSummaryForm(
        data,
        prefix="outcome",
        initial={
            "overall_rag": update.overall_rag,
            "summary": update.summary,
            "cyp_views": update.cyp_views,
            "cyp_views_source": update.cyp_views_source,
            "seen_version": update.version,
        }
        if update
        else {},
    )
    return action_forms, figure_forms, summary_form


def update_form(request, period_pk, outcome_pk):
    period = _period(period_pk)
    outcome = get_object_or_404(
        Outcome.objects.prefetch_related("owners"),
        pk=outcome_pk,
        strategy_id=period.action_plan.strategy_id,
    )
    sheet = selectors.update_sheet(period=period, outcome=outcome)
    target = sheet.update or OutcomeUpdate(period=period, outcome=outcome)
    permissions.require(request.user, "reviews.edit_update", target)
    action_forms, figure_forms, summary_form = _entry_forms(sheet, request.POST or None)
    all_forms = [f for *_, f in action_forms] + [f for *_, f in figure_forms] + [summary_form]
    problem, their_changes, status = "", None, 200
    if request.method == "POST":
        if all(form.is_valid() for form in all_forms):
            summary = dict(summary_form.cleaned_data)
            seen_version = summary.pop("seen_version")
            try:
                update = services.update_save(
                    period=period,
                    outcome=outcome,
                    actor=request.user,
                    seen_version=seen_version,
                    action_entries={a: f.cleaned_data for _, a, _, f in action_forms},
                    indicator_entries={pi: f.cleaned_data for pi, _, f in figure_forms},
                    **summary,
                )
            except EditConflict as conflict:
                their_changes = history.record_history(
                    conflict.record, newer_than_version=conflict.seen_version
                )
                data = request.POST.copy()
                data["outcome-seen_version"] = (
                    type(conflict.record).objects.get(pk=conflict.record.pk).version
                )
                action_forms, figure_forms, summary_form = _entry_forms(sheet, data)
                status = 409
            except ValidationError as error:
                problem, status = " ".join(error.messages), 400
            else:
                if "check" in request.POST:
                    return redirect("reviews:update_check", pk=update.pk)
                messages.success(request, "Your draft has been saved")
                return redirect("reviews:update_form", period_pk=period.pk, outcome_pk=outcome.pk)
        else:
            status = 400
    context = {
        "period": period,
        "outcome": outcome,
        "sheet": sheet,
        "action_forms": action_forms,
        "figure_forms": figure_forms,
        "summary_form": summary_form,
        "all_forms": all_forms,
        "problem": problem,
        "their_changes": their_changes,
        "breadcrumbs": [("My updates", reverse("reviews:my_updates"))],
        **_voices_for_the_owner(period, outcome),
    }
    return render(request, "reviews/update_form.html", context, status=status)


def _voices_for_the_owner(period, outcome):
    """What children and young people said this plan year about the outcome, its indicators
    or its actions, up to when the update is due."""
    voices, count = voices_about_outcome(
        outcome=outcome,
        heard_from=period.action_plan.starts_on,
        heard_to=max(period.ends_on, period.updates_due_on),
    )
    return {"voices": voices, "voices_count": count}


def update_check(request, pk):
    """Check your answers, then submit."""
    update = _update(pk)
    permissions.require(request.user, "reviews.edit_update", update)
    sheet = selectors.update_sheet(period=update.period, outcome=update.outcome)
    problems = services.missing_for_submission(
        sheet.update, actions=sheet.actions, priority_indicators=sheet.priority_indicators
    )
    if request.method == "POST" and not problems:
        try:
            services.update_submit(
                update=sheet.update,
                actor=request.user,
                actions=sheet.actions,
                priority_indicators=sheet.priority_indicators,
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, f"Your update has been submitted to the {terms().chair}")
            return redirect("reviews:my_updates")
    context = {
        "update": sheet.update,
        "sheet": sheet,
        "problems": problems,
        "form_url": reverse("reviews:update_form", args=[update.period_id, update.outcome_id]),
        "breadcrumbs": [
            ("My updates", reverse("reviews:my_updates")),
            (
                f"{capfirst(terms().outcome)} {update.outcome.number} update",
                reverse("reviews:update_form", args=[update.period_id, update.outcome_id]),
            ),
        ],
    }
    status = 400 if request.method == "POST" and problems else 200
    return render(request, "reviews/update_check.html", context, status=status)


def update_detail(request, pk):
    update = _update(pk)
    permissions.require(request.user, "lacstrategy.view_records", update)
    sheet = selectors.update_sheet(period=update.period, outcome=update.outcome)
    context = {
        "update": sheet.update,
        "sheet": sheet,
        "history": history.record_history(update),
        "history_kind": None,
        "breadcrumbs": _period_crumbs(update.period),
    }
    return render(request, "reviews/update_detail.html", context)


@require_POST
def update_accept(request, pk):
    update = _update(pk)
    permissions.require(request.user, "reviews.decide_update", update)
    services.update_accept(update=update, actor=request.user)
    messages.success(
        request,
        f"Accepted: {terms().outcome} {update.outcome.number}. The plan shows its new statuses.",
    )
    return redirect(update.period)


def update_return(request, pk):
    update = _update(pk)
    permissions.require(request.user, "reviews.decide_update", update)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.update_return(
            update=update, actor=request.user, comment=form.cleaned_data["comment"]
        )
        messages.success(
            request, f"Returned to the owner of {terms().outcome} {update.outcome.number}"
        )
        return redirect(update.period)
    context = {"update": update, "form": form, "breadcrumbs": _period_crumbs(update.period)}
    return render(
        request, "reviews/update_return.html", context, status=400 if form.errors else 200
    )


# The review group's review


def period_dashboard(request, pk):
    period = _period(pk)
    permissions.require(request.user, "lacstrategy.view_records", period)
    board = selectors.dashboard(period=period)
    dates = ChangesPeriodForm.data_for(since=board["changes_since"], until=board["changes_until"])
    context = {
        "period": period,
        **board,
        # Where every change the dashboard counts is listed (it shows the first few).
        "every_change_url": reverse("actionplans:plan_changes", args=[period.action_plan_id])
        + "?"
        + urlencode(dates),
        # The committee report's own exceptions, from the records as they are now, as the rest
        # of the page shows them.
        "exceptions": quarter_exceptions(period=period),
        "breadcrumbs": plan_crumbs(period.action_plan),
    }
    return render(request, "reviews/dashboard.html", context)


def outcome_review(request, pk, outcome_pk):
    period = _period(pk)
    permissions.require(request.user, "lacstrategy.view_records", period)
    outcome = get_object_or_404(
        Outcome.objects.prefetch_related("owners"),
        pk=outcome_pk,
        strategy_id=period.action_plan.strategy_id,
    )
    sheet, rows = selectors.outcome_review(period=period, outcome=outcome)
    context = {
        "period": period,
        "outcome": outcome,
        "sheet": sheet,
        "rows": rows,
        "breadcrumbs": _period_crumbs(period),
    }
    return render(request, "reviews/outcome_review.html", context)


class PeriodEdit(RecordFormView):
    permission = "reviews.manage_periods"
    queryset = ReviewPeriod.objects.select_related("action_plan__strategy")
    form_class = PeriodForm
    title = "Change the review period's dates"

    def breadcrumbs(self):
        return _period_crumbs(self.object)

    def save(self, form):
        return services.period_update(
            period=self.object, actor=self.request.user, **form.service_kwargs()
        )


def period_open_or_close(request, pk):
    """Close a reviewed period (nothing in it changes after), or reopen it with a reason."""
    period = _period(pk)
    permissions.require(request.user, "reviews.manage_periods", period)
    closing = period.is_open
    form = ReasonForm(request.POST or None, required=not closing)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if closing:
            services.period_close(
                period=period, actor=request.user, **({"reason": reason} if reason else {})
            )
            messages.success(request, f"{period} is closed")
        else:
            services.period_reopen(period=period, actor=request.user, reason=reason)
            messages.success(request, f"{period} is open again")
        return redirect(period)
    context = {
        "period": period,
        "closing": closing,
        "form": form,
        "breadcrumbs": _period_crumbs(period),
    }
    return render(
        request, "reviews/period_open_or_close.html", context, status=400 if form.errors else 200
    )
