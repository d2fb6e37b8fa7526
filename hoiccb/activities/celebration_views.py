"""One click from a celebration list (members) to a gift round (activities)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from hoiccb.accounts import scoping
from hoiccb.activities import celebrations
from hoiccb.lib.views import submit
from hoiccb.members.celebrations.selectors import ListKind
from hoiccb.members.celebrations.views import CelebrationForm


@require_POST
def celebration_gifts(request):
    form = CelebrationForm(request.POST, user=request.user)
    unit, kind, year, month = form.choice()
    raw = "".join(ch for ch in request.POST.get("gia_tri", "") if ch.isdigit())[:12]
    activity = submit(
        request,
        None,
        lambda _d: celebrations.celebration_gift_round(
            actor=request.user, unit=unit, kind=ListKind(kind), year=year, month=month, value=int(raw or 0)
        ),
        done=lambda a: f"Đã tạo đợt tặng quà «{a.title}» với {a.gifts.count()} suất.",
    )
    if activity:
        return redirect("activities:detail", pk=activity.pk)
    scoping.require(request.user, "view")
    return redirect(reverse("members:celebrations") + f"?don_vi={unit.pk}&loai={kind.value}&nam={year}&thang={month}")
