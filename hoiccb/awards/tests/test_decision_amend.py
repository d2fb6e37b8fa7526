"""An issued decision is never edited: a new, numbered decision corrects or revokes it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.history.models import AwardRecord
from hoiccb.awards.rounds import services
from hoiccb.awards.rounds.models import Decision, DecisionKind
from hoiccb.awards.tests.test_flow import full_round

LATER = datetime.date(2024, 6, 20)


def test_revoking_takes_the_awards_out_of_the_history_and_keeps_the_decision(round_, cast, tree, people, forms, login):
    decision = full_round(round_, cast, tree, people, forms)
    assert AwardRecord.objects.filter(decision=decision).count() == 3
    client = login(cast["khoi"])
    page = client.get(f"/thi-dua/dot/{round_.pk}/").content.decode()
    assert "Đính chính hoặc thu hồi bằng quyết định mới" in page and "data-confirm=" in page
    response = client.post(
        f"/thi-dua/quyet-dinh/{decision.pk}/dinh-chinh/",
        {
            "kind": "revoke",
            "issued_on": "20/06/2024",
            "signer": "Nguyễn Văn Thắng",
            "place": "Yên Bái",
            "content": "Khen thưởng sai đối tượng",
        },
        follow=True,
    )
    page = response.content.decode()
    revoking = Decision.objects.get(kind=DecisionKind.REVOKE)
    assert f"Đã ban hành {revoking}" in page and f"Đã bị thu hồi bởi QĐ {revoking.number}" in page
    assert revoking.amends == decision and revoking.seq == decision.seq + 1
    decision.refresh_from_db()
    assert decision.kind == DecisionKind.AWARD and decision.signer == "Nguyễn Văn Thắng"  # untouched
    assert not AwardRecord.objects.filter(decision=decision).exists()
    event = AwardEvent.objects.get(action="decision_revoke")
    assert sorted(event.changes["recipients"]) == sorted(["Nguyễn Văn Hùng", "Lê Thị Ân", "Trần Văn Hải"])
    with pytest.raises(ValidationError):
        services.decision_amend(
            actor=cast["khoi"], decision=decision, kind="revoke", issued_on=LATER, signer="X", content="Lần nữa"
        )


def test_correcting_notes_the_new_decision_on_each_award(round_, cast, tree, people, forms):
    decision = full_round(round_, cast, tree, people, forms)
    with pytest.raises(ValidationError):
        services.decision_amend(
            actor=cast["khoi"], decision=decision, kind="correct", issued_on=LATER, signer="X", content="  "
        )
    correcting = services.decision_amend(
        actor=cast["khoi"],
        decision=decision,
        kind="correct",
        issued_on=LATER,
        signer="Nguyễn Văn Thắng",
        content="Đính chính năm sinh của ông Nguyễn Văn Hùng",
    )
    texts = set(AwardRecord.objects.filter(decision=decision).values_list("decision_text", flat=True))
    assert texts == {f"{decision.number}, đính chính theo {correcting.number}"}
    with pytest.raises(ValidationError):  # a correction is not itself corrected this way
        services.decision_amend(
            actor=cast["khoi"], decision=correcting, kind="revoke", issued_on=LATER, signer="X", content="Y"
        )


def test_a_chair_cannot_amend_the_blocs_decision(round_, cast, tree, people, forms, login):
    decision = full_round(round_, cast, tree, people, forms)
    with pytest.raises(PermissionDenied):
        services.decision_amend(
            actor=cast["coso1"], decision=decision, kind="revoke", issued_on=LATER, signer="X", content="Y"
        )
    response = login(cast["coso1"]).post(
        f"/thi-dua/quyet-dinh/{decision.pk}/dinh-chinh/",
        {"kind": "revoke", "issued_on": "20/06/2024", "signer": "X", "place": "Y", "content": "Z"},
    )
    assert response.status_code == 404
    assert AwardRecord.objects.filter(decision=decision).count() == 3
