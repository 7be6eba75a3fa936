from django.shortcuts import render

from actionplans.selectors import action_plan_list
from lacstrategy import permissions
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
