"""Pages of rounds: opening one, its quotas and shares, nominations and their steps, votes, decisions."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hoiccb.accounts import scoping
from hoiccb.awards.access import can_manage_awards
from hoiccb.awards.history import selectors as history_selectors
from hoiccb.awards.movements.selectors import launched_movements
from hoiccb.awards.rounds import selectors, services, share_table
from hoiccb.awards.rounds.forms import (
    DecisionAmendForm,
    DecisionForm,
    NominationEditForm,
    NominationForm,
    QuotaForm,
    RoundForm,
    ShareAdjustForm,
    VoteForm,
    VoteListForm,
)
from hoiccb.awards.rounds.models import Decision, Nomination, NominationState, Round
from hoiccb.lib.views import submit
from hoiccb.members.pickers import member_field
from hoiccb.org.pickers import unit_field
from hoiccb.org.selectors import place_of, signer_for


@login_required
def round_create(request):
    scoping.require(request.user, "manage_awards")
    form = RoundForm(request.POST or None, movements=launched_movements(request.user))
    rnd = submit(
        request,
        form,
        lambda d: services.round_create(actor=request.user, unit=request.user.unit, **d),
        done="Đã mở đợt khen thưởng.",
    )
    if rnd:
        return redirect("awards:round", rnd.pk)
    return render(request, "awards/form.html", {"form": form, "title": "Mở đợt khen thưởng"})


def round_or_404(request, pk) -> Round:
    return scoping.get_or_404(selectors.rounds_for(request.user).select_related("movement", "unit"), pk=pk)


@login_required
def round_detail(request, pk):
    rnd = round_or_404(request, pk)
    manages = can_manage_awards(request.user, rnd.unit)
    quotas = selectors.round_quotas(rnd)
    shares = list(selectors.round_shares(request.user, rnd, whole=manages))
    wanted = share_table.ShareFilter.from_request(request)
    return render(
        request,
        "awards/round.html",
        {
            "round": rnd,
            "manages": manages,
            "quotas": quotas,
            "share_blocks": share_table.share_blocks(shares, selectors.seats_used(rnd), wanted),
            "share_filter": wanted,
            "share_filterable": wanted.active or len(shares) > share_table.OPEN_UP_TO,
            "share_forms": share_table.form_choices(shares),
            "nominations": selectors.round_nominations(request.user, rnd, whole=manages),
            "quota_form": QuotaForm(auto_id="q-%s"),
            "decision_form": DecisionForm(
                initial={
                    "form": next((q.form for q in quotas if q.form.level == "khoi"), None),
                    "signer": signer_for(rnd.unit).name,
                    "place": place_of(rnd.unit),
                }
            ),
            "decisions": selectors.round_decisions(rnd) if manages else [],
            "amend_form": DecisionAmendForm(initial={"place": place_of(rnd.unit)}),
            "can_nominate": scoping.can(request.user, "nominate") and rnd.state == "open",
        },
    )


@login_required
def shareout_explained(request, pk):
    """Why each unit got its seats: the group stage, the unit's own figures and the rules, on one page."""
    rnd = round_or_404(request, pk)
    manages = can_manage_awards(request.user, rnd.unit)
    shares = selectors.round_shares(request.user, rnd, whole=manages)
    units = sorted({s.unit for s in shares}, key=lambda u: u.path)
    chosen = request.GET.get("don_vi", "")
    if chosen.isdigit():
        shares = shares.filter(unit_id=int(chosen))
    return render(
        request,
        "awards/shareout.html",
        {
            "round": rnd,
            "quotas": selectors.round_quotas(rnd),
            "why_rows": shares,
            "units": units if manages else [],
            "chosen": chosen,
        },
    )


@login_required
def round_shares_xlsx(request, pk):
    """The share-out as an Excel list, filtered like the page."""
    rnd = round_or_404(request, pk)
    shares = selectors.round_shares(request.user, rnd, whole=can_manage_awards(request.user, rnd.unit))
    wanted = share_table.ShareFilter.from_request(request)
    blocks = share_table.share_blocks(shares, selectors.seats_used(rnd), wanted)
    return share_table.shares_xlsx(rnd, blocks, wanted)


@login_required
@require_POST
def quota_set(request, pk):
    rnd = round_or_404(request, pk)
    if not can_manage_awards(request.user, rnd.unit):
        raise Http404("Không tìm thấy.")
    form = QuotaForm(request.POST)
    # The form sits on the round's page: its errors go there as one message, the service's through `submit`.
    if not form.is_valid():
        problems = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"Chỉ tiêu không hợp lệ: {problems}")
        return redirect("awards:round", rnd.pk)
    submit(
        request,
        form,
        lambda d: services.quota_set(actor=request.user, round=rnd, **d),
        done=lambda quota: f"Đã phân bổ {quota.total} suất {quota.form.name}.",
        flash_errors=True,
    )
    return redirect("awards:round", rnd.pk)


@login_required
@require_POST
def share_adjust(request, pk):
    share = scoping.get_or_404(selectors.shares_to_adjust(request.user), pk=pk)
    if not can_manage_awards(request.user, share.quota.round.unit):
        raise Http404("Không tìm thấy.")
    form = ShareAdjustForm(request.POST)
    adjusted = submit(
        request,
        form,
        lambda d: services.share_adjust(actor=request.user, share=share, **d),
        done=f"Đã điều chỉnh suất của {share.unit}.",
    )
    if adjusted is None:  # the form sits on the round's page: its errors go there as a message
        messages.error(
            request, "; ".join(str(e) for e in form.non_field_errors()) or "Ghi số suất và lý do điều chỉnh."
        )
    return redirect("awards:round", share.quota.round_id)


@login_required
def nominate(request, pk):
    rnd = round_or_404(request, pk)
    scoping.require(request.user, "nominate")
    units = selectors.nominating_units(request.user, rnd)
    members = selectors.nominable_members(request.user)
    form = NominationForm(request.POST or None, request.FILES or None, units=units, members=members)
    # Pickers that search instead of lists of thousands: the member search follows the chosen unit.
    form.fields["unit"] = unit_field(request.user, units, label="Đơn vị đề nghị", parent=rnd.unit)
    form.fields["member"] = member_field(request.user, members, label="Cá nhân", required=False, include="unit")
    form.fields["nominee_unit"] = unit_field(
        request.user, selectors.nominable_units(request.user), label="Hoặc tập thể", required=False
    )
    cast(forms.ModelChoiceField, form.fields["form"]).queryset = selectors.round_forms(rnd)

    def action(data):
        return services.nominate(
            actor=request.user,
            round=rnd,
            form=data["form"],
            unit=data["unit"],
            member=data["member"],
            nominee_unit=data["nominee_unit"],
            summary=data["summary"],
            attachment=data.get("attachment"),
        )

    nomination = submit(request, form, action, done="Đã lập đề nghị khen thưởng.")
    if nomination:
        return redirect("awards:nomination", nomination.pk)
    return render(
        request,
        "awards/form.html",
        {"form": form, "title": f"Đề nghị khen thưởng – {rnd}", "multipart": True, "back": rnd},
    )


def nomination_or_404(request, pk) -> Nomination:
    """A nomination is seen by its unit's subtree and by the round's organiser."""
    qs = selectors.nominations(request.user).select_related(
        "round__unit", "round__movement", "form", "member", "nominee_unit", "unit"
    )
    return scoping.get_or_404(qs, pk=pk)


@login_required
def nomination_detail(request, pk):
    nomination = nomination_or_404(request, pk)
    return render(
        request,
        "awards/nomination.html",
        {
            "n": nomination,
            "manages": can_manage_awards(request.user, nomination.round.unit),
            "own": scoping.can(request.user, "nominate") and scoping.unit_in_scope(request.user, nomination.unit),
            "events": nomination.events.select_related("actor").order_by("at", "id"),
            "vote_form": VoteForm(),
            "history": history_selectors.records_of(member=nomination.member, unit=nomination.nominee_unit),
        },
    )


@login_required
@require_POST
def nomination_move(request, pk):
    nomination = nomination_or_404(request, pk)
    to = request.POST.get("to", "")
    if to not in NominationState.values:  # the target state comes from the button pressed
        messages.error(request, "Trạng thái không hợp lệ.")
    else:
        submit(
            request,
            None,
            lambda _: services.transition(
                actor=request.user, nomination=nomination, to=to, note=request.POST.get("note", "")
            ),
            done="Đã chuyển trạng thái.",
        )
    return redirect("awards:nomination", nomination.pk)


@login_required
@require_POST
def nomination_vote(request, pk):
    nomination = nomination_or_404(request, pk)
    form = VoteForm(request.POST)
    # The form sits on the nomination's page: bad counts get one message, a refusal goes through `submit`.
    if form.is_valid():
        submit(
            request,
            form,
            lambda d: services.record_vote(actor=request.user, nomination=nomination, **d),
            done=lambda n: f"Kết quả: {n.get_state_display()}.",
            flash_errors=True,
        )
    else:
        messages.error(request, "Số phiếu không hợp lệ.")
    return redirect("awards:nomination", nomination.pk)


@login_required
def nomination_edit(request, pk):
    """The nominating unit mends a draft or a returned nomination: its summary and its file."""
    nomination = nomination_or_404(request, pk)
    if not (scoping.can(request.user, "nominate") and scoping.unit_in_scope(request.user, nomination.unit)):
        raise Http404("Không tìm thấy.")
    form = NominationEditForm(request.POST or None, request.FILES or None, initial={"summary": nomination.summary})
    edited = submit(
        request,
        form,
        lambda d: services.nomination_edit(actor=request.user, nomination=nomination, **d),
        done="Đã sửa đề nghị. Bấm «Gửi đề nghị» để gửi (lại) cho cấp trên.",
    )
    if edited:
        return redirect("awards:nomination", nomination.pk)
    return render(
        request,
        "awards/form.html",
        {
            "form": form,
            "title": f"Sửa đề nghị: {nomination.nominee_name}",
            "multipart": True,
            "back": nomination.round,
        },
    )


@login_required
def votes_list(request, pk):
    """The council votes on the list of nominations before it, in one form (a row per nomination)."""
    rnd = round_or_404(request, pk)
    if not can_manage_awards(request.user, rnd.unit):
        raise Http404("Không tìm thấy.")
    form = VoteListForm(request.POST or None, nominations=selectors.review_nominations(rnd))
    done = submit(
        request,
        form,
        lambda d: services.record_votes(actor=request.user, round=rnd, present=d["present"], votes=form.votes()),
        done=lambda rows: (
            f"Đã ghi biểu quyết {len(rows)} đề nghị: "
            f"{sum(n.state == NominationState.APPROVED for n in rows)} được duyệt, "
            f"{sum(n.state == NominationState.REJECTED for n in rows)} không được duyệt."
        ),
    )
    if done:
        return redirect("awards:votes_list", rnd.pk)
    return render(request, "awards/votes_list.html", {"round": rnd, "form": form})


@login_required
@require_POST
def decision_issue(request, pk):
    rnd = round_or_404(request, pk)
    if not can_manage_awards(request.user, rnd.unit):
        raise Http404("Không tìm thấy.")
    form = DecisionForm(request.POST)
    # The form sits on the round's page: its errors go there as one message, the service's through `submit`.
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[f].label}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items() if f in form.fields
        )
        messages.error(request, f"Chưa ban hành được: {problems}")
        return redirect("awards:round", rnd.pk)
    submit(
        request,
        form,
        lambda d: services.decision_issue(actor=request.user, round=rnd, **d),
        done=lambda decision: f"Đã ban hành {decision}.",
        flash_errors=True,
    )
    return redirect("awards:round", rnd.pk)


@login_required
@require_POST
def decision_amend(request, pk):
    """Correct or revoke an issued decision by a new decision (the issued one is never edited)."""
    decision = scoping.get_or_404(
        scoping.in_scope(request.user, Decision.objects.select_related("round", "unit")), pk=pk
    )
    if not can_manage_awards(request.user, decision.unit):
        raise Http404("Không tìm thấy.")
    submit(
        request,
        DecisionAmendForm(request.POST),
        lambda d: services.decision_amend(actor=request.user, decision=decision, **d),
        done=lambda new: f"Đã ban hành {new} ({new.get_kind_display().lower()} {decision}).",
        flash_errors=True,
    )
    return redirect("awards:round", decision.round_id)
