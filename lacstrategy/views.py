from django.contrib.auth import get_user_model, update_session_auth_hash
from django.shortcuts import render
from django.urls import reverse

from actionplans.selectors import action_plan_list
from lacstrategy import permissions, selectors, services
from lacstrategy.forms import PersonForm
from lacstrategy.record_views import RecordDetailView, RecordFormView
from outcomes.selectors import outcomes_owned_by, strategy_list


def home(request):
    permissions.require(request.user, "lacstrategy.view_records")
    return render(
        request,
        "home.html",
        {
            "strategies": strategy_list().exclude(status="archived"),
            "plans": action_plan_list().exclude(strategy__status="archived"),
            "my_outcomes": outcomes_owned_by(user=request.user),
        },
    )


# People and their roles: administrators only.


def people_list(request):
    permissions.require(request.user, "lacstrategy.manage_people")
    return render(request, "people/people_list.html", {"people": selectors.people_list()})


class PersonDetail(RecordDetailView):
    permission = "lacstrategy.manage_people"
    template_name = "people/person_detail.html"

    def load(self):
        return selectors.person_detail(pk=self.kwargs["pk"])

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
