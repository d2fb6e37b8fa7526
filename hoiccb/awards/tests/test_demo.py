import pytest
from django.core.management import call_command
from django.db.models import Count

from hoiccb.awards.models import (
    AwardRecord,
    CertificateJob,
    Decision,
    Movement,
    Nomination,
    Quota,
    Registration,
    RegistrationException,
    Round,
    Share,
    UnitRating,
    UpwardDossier,
)
from hoiccb.demo import round_finished
from hoiccb.org.models import Unit

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
    # Registrations: every unit each year, a few still missing in the last one, with some exceptions.
    units = Unit.objects.filter(kind__is_grassroots=True, path__startswith=movement.unit_path).count()
    per_year = dict(
        Registration.objects.filter(movement=movement)
        .values_list("year")
        .annotate(n=Count("id"))
        .values_list("year", "n")
    )
    assert all(per_year[y] == units for y in range(2019, 2024)) and 0 < per_year[2024] < units
    assert RegistrationException.objects.filter(registration__movement=movement).exclude(reason="").exists()


def test_demo_holds_a_finished_round_with_its_documents(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    rnd = Round.objects.get(name=round_finished.NAME)
    decision = Decision.objects.get(round=rnd)
    # The decision's recipients are in the award history, and its certificates are printed.
    assert decision.nominations.count() > 0
    assert AwardRecord.objects.filter(decision=decision).count() == decision.nominations.count()
    job = CertificateJob.objects.get(decision=decision)
    assert job.state == "done" and job.file.read(5) == b"%PDF-"
    # The Bằng khen tỉnh went upward: the dossier was sent and the province's result recorded.
    sent = UpwardDossier.objects.get(round=rnd)
    assert sent.result_number == "15/QĐ-CCB"
    states = sorted(Nomination.objects.filter(round=rnd, form=sent.form).values_list("state", flat=True))
    assert states[0] == "awarded_above"
    assert AwardRecord.objects.filter(form=sent.form, decision_text__startswith="15/QĐ-CCB").count() == states.count(
        "awarded_above"
    )
    # No member is nominated in both rounds.
    open_round = Round.objects.get(name="Tổng kết phong trào CCB gương mẫu 2019–2024")
    both = set(Nomination.objects.filter(round=rnd).values_list("member", flat=True)) & set(
        Nomination.objects.filter(round=open_round).values_list("member", flat=True)
    )
    assert not both
