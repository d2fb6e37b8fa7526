from django.core.management import call_command

from hoiccb.accounts.models import User
from hoiccb.members.models import Member, MemberStatus, partial_date
from hoiccb.org.models import OfficerPosition, Unit


def test_seed_demo_builds_a_consistent_bloc(db, settings):
    settings.DEMO_PASSWORD = "demo-pass-123"
    call_command("seed_demo", allow_production=True)
    bloc = Unit.objects.get(code="YB-KCQDN")
    grassroots = Unit.objects.filter(parent=bloc)
    assert grassroots.count() == 60
    assert grassroots.values("group").distinct().count() == 3
    assert Unit.objects.filter(parent__parent=bloc).exists()  # branches under larger ones
    assert Member.objects.count() == 3001  # 3,000 generated and the documented Nguyễn Văn Hùng
    ccb_share = Member.objects.filter(kind="ccb").count() / 3001
    party_share = Member.objects.filter(party_member=True).count() / 3001
    assert 0.7 < ccb_share < 0.9
    assert 0.25 < party_share < 0.42
    assert Member.objects.filter(status=MemberStatus.DECEASED).exists()
    assert Member.objects.filter(war_invalid_rate__isnull=False).exists()
    for member in Member.objects.all()[:500]:
        birth, enlisted, discharged = (partial_date(member, f) for f in ("birth_date", "enlisted_on", "discharged_on"))
        assert birth and enlisted and discharged
        assert 1930 <= birth.year <= 1980
        assert enlisted.year - birth.year >= 17
        assert discharged.year > enlisted.year or discharged > enlisted
    assert OfficerPosition.objects.filter(unit=bloc, role="chu_tich").count() == 1
    coso1, coso2 = User.objects.get(username="coso1"), User.objects.get(username="coso2")
    assert coso1.unit and coso2.unit
    assert coso1.unit.parent == coso2.unit.parent == bloc
    assert coso1.check_password("demo-pass-123")
    hung = Member.objects.get(search_text__startswith="nguyen van hung", unit=coso1.unit, events__actor=coso1)
    # Admitted by the chair (the care demo then gives him a card number and a photo).
    assert hung.events.get(action="admitted").actor == coso1
    # Generated members have their admission in their history too.
    assert Member.objects.filter(events__isnull=True).count() == 0


def test_seed_demo_refuses_production_and_non_empty(db, settings):
    import pytest
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    call_command("seed_demo", allow_production=True)
    with pytest.raises(CommandError):
        call_command("seed_demo", allow_production=True)
    call_command("seed_demo", allow_production=True, if_empty=True)  # quietly does nothing
    call_command("seed_demo", allow_production=True, members=500)
    assert Member.objects.count() == 3501
