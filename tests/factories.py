"""A factory per model. Records made here skip the services: tests of the services call them."""

import datetime
import json

import factory

from actionplans.models import Action, ActionPlan, PlanImport, PriorityIndicator
from actionplans.plan_template import read_upload
from frameworks.models import Framework, FrameworkItem, FrameworkUpload
from frameworks.version_file import version_data
from lacstrategy.models import User
from lacstrategy.roles import role_groups
from outcomes.models import (
    Commitment,
    Indicator,
    Outcome,
    OutcomeGroup,
    Strategy,
    StrategySection,
)
from reviews.models import OutcomeUpdate, ReviewPeriod
from voices.models import Voice, VoiceResponse


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    full_name = factory.Faker("name", locale="en_GB")
    job_title = "Service Manager"
    organisation = "Children's Services"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-test-password")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*role_groups(extracted))


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    title = factory.Sequence(lambda n: f"LAC and Care Leavers Strategy {n}")
    period_start = datetime.date(2015, 4, 1)
    period_end = datetime.date(2018, 3, 31)
    vision = "Our children in care have the opportunities that good parents give their children."
    principles = "Focus on outcomes\nListen to children and young people"
    status = Strategy.Status.APPROVED
    approved_by = "Policy Committee"
    approved_on = datetime.date(2015, 6, 17)


class OutcomeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeGroup

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Children in care are safe and settled ({n})")


class StrategySectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategySection

    strategy = factory.SubFactory(StrategyFactory)
    heading = "Our approach"
    body = "We work as one corporate parent.\n\nWe listen to children first."


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome
        skip_postgeneration_save = True

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    statement = factory.Sequence(lambda n: f"Looked after children and care leavers are safe ({n})")

    @factory.post_generation
    def owners(self, create, extracted, **kwargs):
        if create and extracted:
            self.owners.set(extracted)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    outcome = factory.SubFactory(OutcomeFactory)
    title = factory.Sequence(lambda n: f"Children and young people have a safe place to live ({n})")
    definition = "Percentage of children in a stable placement."
    unit = Indicator.Unit.PERCENTAGE


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    strategy = factory.SubFactory(StrategyFactory)
    financial_year_start = 2016
    status = ActionPlan.Status.APPROVED


class PriorityIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityIndicator

    action_plan = factory.SubFactory(ActionPlanFactory)
    indicator = factory.SubFactory(
        IndicatorFactory, outcome__strategy=factory.SelfAttribute("...action_plan.strategy")
    )
    target = "90%"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    priority_indicator = factory.SubFactory(PriorityIndicatorFactory)
    description = factory.Sequence(lambda n: f"Review placement support, step {n}")
    undertaken_by = "IROs and Social Workers"
    target_text = "Ongoing"

    @factory.post_generation
    def lead_users(self, create, extracted, **kwargs):
        if create and extracted:
            self.lead_users.set(extracted)


class PlanImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanImport

    action_plan = factory.SubFactory(ActionPlanFactory)
    file_name = "action-plan.csv"
    content = b"Outcome number,Priority indicator,Action\r\n1,Stable homes,Review placements\r\n"
    parsed = factory.LazyAttribute(lambda upload: read_upload(upload.file_name, upload.content))
    uploaded_by = factory.SubFactory(UserFactory)


class ReviewPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewPeriod

    action_plan = factory.SubFactory(ActionPlanFactory)
    quarter = 1
    updates_due_on = factory.LazyAttribute(
        lambda p: (
            ReviewPeriod(action_plan=p.action_plan, quarter=p.quarter).ends_on
            + datetime.timedelta(days=14)
        )
    )
    meeting_on = factory.LazyAttribute(lambda p: p.updates_due_on + datetime.timedelta(days=14))


class OutcomeUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeUpdate

    period = factory.SubFactory(ReviewPeriodFactory)
    outcome = factory.SubFactory(
        OutcomeFactory, strategy=factory.SelfAttribute("..period.action_plan.strategy")
    )
    summary = "Progress this quarter."


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    outcome = factory.SubFactory(OutcomeFactory)
    text = factory.Sequence(lambda n: f"We will review every placement plan ({n})")


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    code = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"A national framework {n}")
    kind = Framework.Kind.NATIONAL
    edition = "2024"
    published_on = datetime.date(2024, 1, 1)
    source = "Department for Education"
    order = 10


class FrameworkItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkItem

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"item-{n}")
    label = "Outcome"
    title = factory.Sequence(lambda n: f"Children are doing well ({n})")
    order = factory.Sequence(lambda n: n)


def later_version_file(framework, **changes):
    """`framework` as its download gives it, changed into a later version: edition 2030."""
    data = version_data(framework)
    data.update({"edition": "2030", "published_on": "2030-01-31", **changes})
    return json.dumps(data)


class FrameworkUploadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkUpload

    framework = factory.SubFactory(FrameworkFactory)
    file_name = "later-version.json"
    content = factory.LazyAttribute(lambda upload: later_version_file(upload.framework))
    uploaded_by = factory.SubFactory(UserFactory)


class VoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Voice

    strategy = factory.SubFactory(StrategyFactory)
    said = factory.Sequence(lambda n: f"We want to see our social worker on our own ({n})")
    source = Voice.Source.CHILDREN_COUNCIL
    heard_on = datetime.date(2016, 9, 6)
    recorded_by = factory.SubFactory(UserFactory)


class VoiceResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoiceResponse

    voice = factory.SubFactory(VoiceFactory)
    we_did = "Social workers now offer time on your own at every visit."
    who = "Group Manager, Children in Care"
    status = VoiceResponse.Status.IN_PROGRESS
