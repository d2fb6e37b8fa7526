"""The awards landing page: the movements and rounds the user takes part in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from hoiccb.accounts import scoping
from hoiccb.awards.documents import decision_template
from hoiccb.awards.movements.selectors import movements_for
from hoiccb.awards.rounds.selectors import rounds_for


@login_required
def index(request):
    scoping.require(request.user, "view")
    return render(
        request,
        "awards/index.html",
        {
            "movements": movements_for(request.user).select_related("unit"),
            "rounds": rounds_for(request.user).select_related("movement", "unit"),
            "can_manage": scoping.can(request.user, "manage_awards"),
            "can_manage_template": decision_template.can_manage(request.user),
        },
    )
