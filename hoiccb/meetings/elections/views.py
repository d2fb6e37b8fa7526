"""Pages of an election: thin views over the forms, services and selectors of this package.

Every page belongs to those who prepare the meeting (its counting team among them); others get 404.
"""

from collections.abc import Callable
from typing import Any

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.lib.pdf_jobs import pdf_view
from hoiccb.lib.views import submit
from hoiccb.meetings.elections import confirmation, docs, forms, selectors, services, voting_services
from hoiccb.meetings.elections.counting import Invalid
from hoiccb.meetings.elections.models import Batch, Election, Round, RoundStatus
from hoiccb.meetings.view_helpers import docx_response, managed_meeting


def _election(request, pk: int) -> Election:
    election = selectors.election_for(request.user, pk)
    managed_meeting(request, election.meeting_id)  # 404 unless the user prepares the meeting
    return election


def _round(request, pk: int) -> Round:
    voting = selectors.round_for(request.user, pk)
    managed_meeting(request, voting.election.meeting_id)
    return voting


def _back(election: Election) -> str:
    return reverse("meetings:election", args=[election.pk])


def _button(request, action: Callable[[], Any], *, done: str, back: str):
    """A button that posts: run the service (its refusal becomes an error message), then go back."""
    submit(request, None, lambda _: action(), done=done)
    return redirect(back)


@require_http_methods(["GET", "POST"])
def election_create(request, pk: int):
    meeting = managed_meeting(request, pk)
    form = forms.ElectionForm(request.POST or None)
    election = submit(
        request,
        form,
        lambda data: services.election_create(actor=request.user, meeting=meeting, **data),
        done="Đã tạo cuộc bầu cử. Thêm người ứng cử vào danh sách.",
    )
    if election:
        return redirect(_back(election))
    return render(request, "meetings/elections/form.html", {"form": form, "meeting": meeting})


def election_detail(request, pk: int):
    election = _election(request, pk)
    standing = selectors.election_standing(election)
    last = standing.results[-1] if standing.results else None
    context = {
        "election": election,
        "meeting": election.meeting,
        "candidates": election.candidates.all(),
        "standing": standing,
        "rounds": [
            (voting, result, selectors.ballot_outcomes(voting, result), selectors.invalid_rows(result))
            for voting, result in standing.results
        ],
        "candidate_form": forms.CandidateForm(user=request.user, election=election),
        "further_form": (
            forms.FurtherRoundForm(
                candidates=election.candidates.exclude(pk__in=standing.elected),
                initial_ids=last[1].tied if last else (),
                initial={"seats": standing.seats_left},
            )
            if last and last[0].status == RoundStatus.SIGNED and standing.seats_left
            else None
        ),
        "revert_form": forms.RevertForm(),
    }
    return render(request, "meetings/elections/detail.html", context)


@require_POST
def candidate_add(request, pk: int):
    election = _election(request, pk)
    submit(
        request,
        forms.CandidateForm(request.POST, user=request.user, election=election),
        lambda data: services.candidate_add(actor=request.user, election=election, member=data["member"]),
        done=lambda c: f"Đã thêm {c.full_name} vào danh sách.",
        flash_errors=True,
    )
    return redirect(f"{_back(election)}#danh-sach")


@require_POST
def candidate_remove(request, pk: int):
    candidate = selectors.candidate_for(request.user, pk)
    election = _election(request, candidate.election_id)
    return _button(
        request,
        lambda: services.candidate_remove(actor=request.user, candidate=candidate),
        done="Đã bỏ khỏi danh sách.",
        back=f"{_back(election)}#danh-sach",
    )


@require_POST
def list_approve(request, pk: int):
    election = _election(request, pk)
    return _button(
        request,
        lambda: services.list_approve(actor=request.user, election=election),
        done="Đại hội đã thông qua danh sách: in phiếu bầu và bắt đầu bỏ phiếu.",
        back=_back(election),
    )


@require_POST
def further_round(request, pk: int):
    election = _election(request, pk)
    standing = selectors.election_standing(election)
    form = forms.FurtherRoundForm(request.POST, candidates=election.candidates.exclude(pk__in=standing.elected))
    submit(
        request,
        form,
        lambda data: voting_services.further_round_open(
            actor=request.user, election=election, candidates=data["candidates"], seats=data["seats"]
        ),
        done=lambda r: f"Đã mở bầu lần {r.number}: in phiếu bầu mới.",
        flash_errors=True,
    )
    return redirect(_back(election))


@require_POST
def confirm(request, pk: int):
    election = _election(request, pk)
    return _button(
        request,
        lambda: confirmation.election_confirm(actor=request.user, election=election),
        done="Đã xác nhận kết quả: người trúng cử đã được ghi vào chức vụ của đơn vị.",
        back=_back(election),
    )


@require_POST
def revert(request, pk: int):
    election = _election(request, pk)
    submit(
        request,
        forms.RevertForm(request.POST),
        lambda data: confirmation.election_revert(actor=request.user, election=election, reason=data["reason"]),
        done="Đã hủy xác nhận kết quả; chức vụ đã trở lại như trước.",
        flash_errors=True,
    )
    return redirect(_back(election))


# --- Voting and counting -------------------------------------------------------------------------


def ballots_pdf(request, pk: int):
    """The ballots of a round, laid out in the background: the waiting page with its bar, then the PDF
    (at once when the same ballots were made before)."""
    voting = _round(request, pk)
    election = voting.election
    return pdf_view(
        request,
        docs.ballots_pdf(voting),
        f"phieu-bau-{election.pk}-lan-{voting.number}.pdf",
        title=f"Phiếu bầu – {election.get_body_display()}, lần {voting.number}",
        back=_back(election),
    )


@require_POST
def voting_close(request, pk: int):
    voting = _round(request, pk)
    return _button(
        request,
        lambda: voting_services.voting_close(actor=request.user, round=voting),
        done="Đã kết thúc bỏ phiếu: tổ kiểm phiếu bắt đầu kiểm phiếu.",
        back=reverse("meetings:counting", args=[voting.pk]),
    )


def counting(request, pk: int):
    voting = _round(request, pk)
    result = selectors.round_result(voting)
    context = {
        "round": voting,
        "election": voting.election,
        "batches": selectors.batch_board(voting),
        "result": result,
        "outcomes": selectors.ballot_outcomes(voting, result),
        "invalid_rows": selectors.invalid_rows(result),
    }
    return render(request, "meetings/elections/counting.html", context)


@require_POST
def batch_open(request, pk: int):
    voting = _round(request, pk)
    tallied = request.POST.get("tong_hop") == "1"
    batch = submit(
        request,
        None,
        lambda _: voting_services.batch_open(actor=request.user, round=voting, tallied=tallied),
        done=None,
    )
    if batch:
        return redirect(f"{reverse('meetings:batch', args=[batch.pk])}?lan=1")
    return redirect(reverse("meetings:counting", args=[voting.pk]))


@require_POST
def round_sign(request, pk: int):
    voting = _round(request, pk)
    return _button(
        request,
        lambda: voting_services.round_sign(actor=request.user, round=voting),
        done="Tổ kiểm phiếu đã ký: kết quả lần bầu này đã khóa.",
        back=_back(voting.election),
    )


def _slot(request) -> int:
    return 2 if request.GET.get("lan") == "2" else 1


@require_http_methods(["GET", "POST"])
def batch_entry(request, pk: int):
    """A counter enters the ballots of a batch one by one: tap the names crossed out, then save."""
    batch = selectors.batch_for(request.user, pk)
    voting = _round(request, batch.round_id)
    slot = _slot(request)
    if batch.tallied:
        return _tally_entry(request, batch, voting, slot)
    candidates = selectors.ballot_order(voting)
    entries = list(batch.entries.filter(slot=slot).order_by("-serial"))
    next_serial = selectors.next_serial(voting, batch, slot)
    form = forms.BallotForm(request.POST or None, candidates=candidates, initial={"serial": next_serial})
    entry = submit(
        request,
        form,
        lambda data: voting_services.ballot_enter(
            actor=request.user,
            batch=batch,
            slot=slot,
            serial=data["serial"],
            invalid=data["invalid"],
            crossed=data["crossed"],
        ),
        done=lambda e: f"Đã lưu phiếu số {e.serial}.",
    )
    if entry:
        return redirect(f"{reverse('meetings:batch', args=[batch.pk])}?lan={slot}")
    context = {
        "batch": batch,
        "round": voting,
        "election": voting.election,
        "slot": slot,
        "form": form,
        "entries": entries,
        "names": {c.pk: c.full_name for c in candidates},
        "invalid_labels": dict(Invalid.choices),
        "seats": voting.seats,
    }
    return render(request, "meetings/elections/batch.html", context)


def _tally_entry(request, batch: Batch, voting: Round, slot: int):
    """A counter enters a tallied batch's totals from the team's paper in one form (and may correct it)."""
    candidates = selectors.ballot_order(voting)
    mine = batch.tallies.filter(slot=slot).first()
    form = forms.TallyForm(request.POST or None, candidates=candidates, initial=forms.TallyForm.initial_from(mine))
    entry = submit(
        request,
        form,
        lambda _: voting_services.tally_enter(actor=request.user, batch=batch, slot=slot, **form.totals()),
        done=lambda e: f"Đã lưu tổng hợp tập {batch.number}: {e.ballots} phiếu.",
    )
    if entry:
        return redirect(reverse("meetings:counting", args=[voting.pk]))
    context = {"batch": batch, "round": voting, "election": voting.election, "slot": slot, "form": form}
    context |= {"entry": mine, "seats": voting.seats, "too_many": Invalid.TOO_MANY.label}
    return render(request, "meetings/elections/tally.html", context)


@require_POST
def batch_count(request, pk: int):
    batch = selectors.batch_for(request.user, pk)
    voting = _round(request, batch.round_id)
    return _button(
        request,
        lambda: voting_services.batch_count(actor=request.user, batch=batch),
        done=f"Đã tính tập {batch.number} vào kết quả.",
        back=reverse("meetings:counting", args=[voting.pk]),
    )


@require_POST
def ballot_remove(request, pk: int):
    entry = selectors.entry_for(request.user, pk)
    _round(request, entry.batch.round_id)
    return _button(
        request,
        lambda: voting_services.ballot_remove(actor=request.user, entry=entry),
        done="Đã xóa phiếu.",
        back=f"{reverse('meetings:batch', args=[entry.batch_id])}?lan={entry.slot}",
    )


# --- Documents -----------------------------------------------------------------------------------


# Each paper: how it is made, its file name and its title on the waiting page.
PAPERS = {
    "minutes": (docs.count_minutes, "bien-ban-kiem-phieu", "Biên bản kiểm phiếu"),
    "announcement": (docs.announcement, "thong-bao-ket-qua-bau-cu", "Thông báo kết quả bầu cử"),
}


def _paper(request, pk: int, paper: str, *, as_pdf: bool):
    election = _election(request, pk)
    make, stem, title = PAPERS[paper]
    if as_pdf:
        return pdf_view(request, make(election), f"{stem}-{election.pk}.pdf", title=title, back=_back(election))
    return docx_response(make(election), f"{stem}-{election.pk}.docx")


def minutes_docx(request, pk: int):
    return _paper(request, pk, "minutes", as_pdf=False)


def minutes_pdf(request, pk: int):
    return _paper(request, pk, "minutes", as_pdf=True)


def announcement_docx(request, pk: int):
    return _paper(request, pk, "announcement", as_pdf=False)


def announcement_pdf(request, pk: int):
    return _paper(request, pk, "announcement", as_pdf=True)
