"""Awards objects for the no-leak walk: added to its world (hoiccb/accounts/tests/leaks_world.py)
and named by its URLs (hoiccb/accounts/tests/leaks_walk.py)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.awards.documents import services as document_services
from hoiccb.awards.history import services as history_services
from hoiccb.awards.models import AwardForm, NominationState
from hoiccb.awards.movements import services as movement_services
from hoiccb.awards.registration import services as registration_services
from hoiccb.awards.rounds import services
from hoiccb.news.samples import pdf_bytes


def add_awards(victim: dict, cast, tree) -> None:
    """Give a unit its own movement, round (for its branch), nomination and decision."""
    from hoiccb.org import services as org_services

    unit, user = victim["unit"], victim["user"]
    branch = unit.children.first() or org_services.unit_create(
        actor=None, parent=unit, kind=tree["branch_a"].kind, code=f"{unit.code}8", name=f"Chi hội 8 {unit.name}"
    )
    sub = branch  # the branch below the victim receives the round's quota
    member = victim["member"]
    movement = movement_services.movement_create(
        actor=user, unit=unit, name=f"Phong trào riêng {unit.code}", start_year=2020, end_year=2024, bands=[("Tốt", 0)]
    )
    rnd = services.round_create(actor=user, unit=unit, movement=movement, name=f"Đợt khen riêng {unit.code}", year=2024)
    form = AwardForm.objects.get(code="giay-khen-khoi-tap-the")
    for year in (2023, 2024):  # the form asks for two years in the top band
        movement_services.unit_ratings_save(actor=user, movement=movement, year=year, scores={sub: 80})
    quota = services.quota_set(actor=user, round=rnd, form=form, basis="number", value=1)
    nomination = services.nominate(
        actor=user,
        round=rnd,
        form=form,
        unit=sub,
        nominee_unit=sub,
        summary=f"Thành tích riêng {unit.code}",
        attachment=SimpleUploadedFile("ho-so.pdf", pdf_bytes([f"HO SO {unit.code}"])),
    )
    services.transition(actor=user, nomination=nomination, to=NominationState.SUBMITTED)
    services.transition(actor=user, nomination=nomination, to=NominationState.REVIEW)
    services.record_vote(actor=user, nomination=nomination, present=5, yes=5, no=0, abstain=0)
    decision = services.decision_issue(
        actor=user, round=rnd, form=form, issued_on=datetime.date(2024, 6, 5), signer=f"Người ký {unit.code}"
    )
    document_services.certificates_request(actor=user, decision=decision)  # a print job the sibling must not reach
    victim.update(
        award_movement=movement,
        award_round=rnd,
        award_share=quota.shares.get(),
        award_nomination=nomination,
        award_decision=decision,
        award_branch=branch,
    )
    victim["secrets"] += [movement.name, rnd.name, nomination.summary, member.full_name]
    add_registration_and_import(victim)


AWARD_TARGETS = {
    "awards:movement": "award_movement",
    "awards:member_ratings": "award_movement",
    "awards:share_adjust": "award_share",
    "awards:nomination": "award_nomination",
    "awards:nomination_move": "award_nomination",
    "awards:nomination_vote": "award_nomination",
    "awards:nomination_edit": "award_nomination",
    "awards:decision_docx": "award_decision",
    "awards:decision_pdf": "award_decision",
    "awards:decision_amend": "award_decision",
    "awards:decision_certificates": "award_decision",
    "awards:certificates": "award_decision",
    "awards:certificates_progress": "award_decision",
    "awards:nomination_attachment": "award_nomination",
    "awards:member_history": "member",
    "awards:unit_history": "unit",
}


# The round's pages, the upward dossier and its downloads among them.
for _name in (
    "round",
    "round_shares_xlsx",
    "quota_set",
    "nominate",
    "decision_issue",
    "shareout",
    "votes_list",
    "dossier",
):
    AWARD_TARGETS[f"awards:{_name}"] = "award_round"
AWARD_TARGETS.update({"awards:dossier_download": "award_round", "awards:dossier_result": "award_round"})


def award_target(url_name: str, victim: dict) -> int:
    # No default: a page missing here would be walked with another model's id, which on PostgreSQL can
    # be the actor's own object and pass or fail by chance (a decision page once got a round's id).
    assert url_name in AWARD_TARGETS, f"teach hoiccb/awards/tests/leaks.py about {url_name}"
    return victim[AWARD_TARGETS[url_name]].pk


def add_registration_and_import(victim: dict) -> None:
    """Register the victim's unit with its member excepted, and leave an award-history import in preview."""
    unit, user, member = victim["unit"], victim["user"], victim["member"]
    reg = registration_services.register(actor=user, movement=victim["award_movement"], unit=unit, year=2024)
    registration_services.except_member(actor=user, registration=reg, member=member, reason=f"Lý do riêng {unit.code}")
    data = f"Họ và tên,Năm sinh,Đơn vị,Hình thức khen thưởng,Năm\n{member.full_name},{member.birth_year},"
    data += f"{unit.name},Kỷ niệm chương,2019\n"
    batch = history_services.preview(actor=user, file_name=f"lich-su-rieng-{unit.code}.csv", data=data.encode())
    victim.update(award_registration=reg, award_import=batch)
    victim["secrets"] += [f"Lý do riêng {unit.code}", batch.file_name]


AWARD_TARGETS.update(
    {
        "awards:registrations": "award_movement",
        "awards:registration": "award_registration",
        "awards:registration_member": "award_registration",
        "awards:registration_withdraw": "award_registration",
        "awards:history_preview": "award_import",
        "awards:history_commit": "award_import",
    }
)
