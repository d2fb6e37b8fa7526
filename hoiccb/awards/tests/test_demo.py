import pytest
from django.core.management import call_command

from hoiccb.awards.models import Movement, Nomination, Quota, Round, Share, UnitRating

pytestmark = pytest.mark.django_db


def test_demo_holds_a_2019_2024_movement_and_an_open_round(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    movement = Movement.objects.get(name="Cựu chiến binh gương mẫu")
    assert (movement.start_year, movement.end_year) == (2019, 2024)
    assert UnitRating.objects.filter(movement=movement).values("year").distinct().count() == 6
    rnd = Round.objects.get(name="Tổng kết phong trào CCB gương mẫu 2019–2024")
    for quota in Quota.objects.filter(round=rnd):
        assert sum(Share.objects.filter(quota=quota).values_list("amount", flat=True)) == quota.total > 0
    states = set(Nomination.objects.filter(round=rnd).values_list("state", flat=True))
    assert {"approved", "review", "draft"} <= states
