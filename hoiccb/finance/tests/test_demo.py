import datetime

import pytest
from django.core.management import call_command

from hoiccb.finance import selectors, services
from hoiccb.finance.models import DuesPayment, Fund, FundEntry
from hoiccb.members.celebrations.selectors import ListKind, entries
from hoiccb.members.models import Member, MemberPhoto
from hoiccb.org.models import Unit

pytestmark = pytest.mark.django_db


def test_demo_has_two_years_of_dues_funds_cards_and_lists(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    this = datetime.date.today().year
    assert DuesPayment.objects.filter(year=this - 1).count() > 1000
    assert DuesPayment.objects.filter(year=this).exists()
    fund = Fund.objects.get(name="Quỹ nghĩa tình đồng đội")
    assert services.fund_balance(fund, datetime.date.today()) == 15_000_000
    assert FundEntry.objects.filter(reverses__isnull=False).count() == 1
    first = fund.unit
    without_card = Member.objects.filter(unit_path__startswith=first.path, status="active", card_number__isnull=True)
    assert not without_card.exists()
    assert MemberPhoto.objects.exists()
    statement = selectors.dues_statement(first, this - 1)
    assert all(line.outstanding == 0 for line in statement.lines)
    bloc = Unit.objects.get(kind__code="khoi")
    assert entries(ListKind.LONGEVITY, bloc.path, this)
