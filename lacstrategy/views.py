from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from actionplans.selectors import action_plan_list
from lacstrategy import accessibility, permissions, selectors, services
from lacstrategy.forms import CouncilForm, PersonForm
from lacstrategy.record_views import RecordDetailView, RecordFormView
from outcomes.selectors import outcomes_owned_by, strategy_list
from reviews.selectors import home_tasks


@login_not_required
def privacy_notice(request):
    """Public, so that anyone can read it before signing in."""
    context = {
        "sign_in_keep_days": settings.SIGN_IN_LOG_KEEP_DAYS,
        "idle_minutes": settings.SESSION_IDLE_MINUTES,
        "breadcrumbs": [],
    }
    return render(request, "privacy.html", context)


def _public_page(request, template, **context):
    """A page anyone may read, signed in or not; an administrator is offered Council settings
    where the council has not yet filled in its part."""
    context.update(
        breadcrumbs=[],
        may_edit_council=permissions.allows(request.user, "lacstrategy.manage_council"),
    )
    return render(request, template, context)


@login_not_required
def accessibility_statement(request):
    """Public, as the accessibility regulations require: the council's parts come from Council
    settings, the product's own testing from the project."""
    return _public_page(
        request,
        "accessibility.html",
        tested_with=accessibility.tested_with(),
        rule_sets=accessibility.rule_set_names(),
    )


@login_not_required
def help_page(request):
    """Public, so that someone who cannot sign in finds what to do and whom to ask."""
    return _public_page(request, "help.html")


@login_not_required
def contact(request):
    return _public_page(request, "contact.html")


HOME_LISTED = 6  # strategies and action plans listed on home


def home(request):
    """Each person's task list: what needs them now, then the plans and strategies."""
    permissions.require(request.user, "lacstrategy.view_records")
    tasks = home_tasks(user=request.user)
    setup = []
    if permissions.allows(request.user, "lacstrategy.manage_council"):
        setup = selectors.setup_gaps(periods=tasks.periods, today=tasks.today)
    # The newest few, so that home costs the same however many a council keeps; the
    # strategies page lists them all. One more than shown is read, to know there are more.
    strategies = list(strategy_list().exclude(status="archived")[: HOME_LISTED + 1])
    plans = list(action_plan_list().exclude(strategy__status="archived")[: HOME_LISTED + 1])
    return render(
        request,
        "home.html",
        {
            "tasks": tasks,
            "setup": setup,
            "strategies": strategies[:HOME_LISTED],
            "plans": plans[:HOME_LISTED],
            "more_strategies": len(strategies) > HOME_LISTED,
            "more_plans": len(plans) > HOME_LISTED,
            "my_outcomes": outcomes_owned_by(user=request.user),
        },
    )


class CouncilSettings(RecordFormView):
    """The council's names, as every page, document and e-mail shows them."""

    permission = "lacstrategy.manage_council"
    form_class = CouncilForm
    title = "Council settings"
    success_message = "Council settings saved"

    def load(self):
        return selectors.council()

    def breadcrumbs(self):
        return [("People and roles", reverse("people_list"))]

    def cancel_url(self):
        return reverse("people_list")

    def save(self, form):
        return services.council_save(actor=self.request.user, **form.service_kwargs())


# People and their roles: administrators only.


def people_list(request):
    permissions.require(request.user, "lacstrategy.manage_people")
    context = {"people": selectors.people_list(), "locked": selectors.locked_usernames()}
    return render(request, "people/people_list.html", context)


class PersonDetail(RecordDetailView):
    permission = "lacstrategy.manage_people"
    template_name = "people/person_detail.html"

    def load(self):
        return selectors.person_detail(pk=self.kwargs["pk"])

    def extra_context(self):
        return {
            "is_locked": self.object.username in selectors.locked_usernames(),
            "two_step_device": selectors.two_step_device(user=self.object),
        }

    def breadcrumbs(self):
        return [("People and roles", reverse("people_list"))]


class PersonCreate(RecordFormView):
    permission = "lacstrategy.manage_people"
    form_class = PersonForm
    title = "Add a person"

    def new_instance(self):
        return get_user_model()()

    def breadcrumbs(self):
        return [("People and roles", reverse("people_list"))]

    def cancel_url(self):
        return reverse("people_list")

    def save(self, form):
        return services.user_create(actor=self.request.user, **form.service_kwargs())


class PersonEdit(RecordFormView):
    permission = "lacstrategy.manage_people"
    queryset = get_user_model().objects.exclude(username=services.SYSTEM_USERNAME)
    form_class = PersonForm
    title = "Edit the person's details and roles"

    def breadcrumbs(self):
        return [
            ("People and roles", reverse("people_list")),
            (str(self.object), self.object.get_absolute_url()),
        ]

    def save(self, form):
        person = services.user_update(
            user=self.object, actor=self.request.user, **form.service_kwargs()
        )
        if person.pk == self.request.user.pk:
            update_session_auth_hash(self.request, person)  # stay signed in after a new password
        return person


def access_log(request):
    permissions.require(request.user, "lacstrategy.manage_people")
    page = Paginator(selectors.access_events(), 50).get_page(request.GET.get("page"))
    locked = sorted(selectors.locked_usernames())
    context = {"page_obj": page, "events": page.object_list, "locked": locked}
    return render(request, "people/access_log.html", context)


@require_POST
def person_unlock(request, pk):
    permissions.require(request.user, "lacstrategy.manage_people")
    person = get_object_or_404(get_user_model(), pk=pk)
    services.unlock_account(user=person, actor=request.user)
    messages.success(request, f"{person} can sign in again")
    return redirect(person)
