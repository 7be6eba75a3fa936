from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from lacstrategy.services import SYSTEM_USERNAME
from outcomes.models import Outcome


def people_list():
    """Everyone who can be given a sign-in, with their roles and the outcomes they own."""
    return (
        get_user_model()
        .objects.exclude(username=SYSTEM_USERNAME)
        .prefetch_related(
            "groups",
            Prefetch("owned_outcomes", queryset=Outcome.objects.select_related("strategy")),
        )
    )


def person_detail(*, pk):
    return people_list().get(pk=pk)
