import datetime

import pytest

from hoiccb.awards.models import AwardForm, QuotaBasis
from hoiccb.awards.movements import services as movement_services
from hoiccb.awards.rounds import services
from hoiccb.conftest import admit


@pytest.fixture
def movement(cast, tree):
    return movement_services.movement_create(
        actor=cast["khoi"],
        unit=tree["bloc"],
        name="Cựu chiến binh gương mẫu",
        start_year=2019,
        end_year=2024,
        bands=[("Trong sạch vững mạnh xuất sắc", 81), ("Trong sạch vững mạnh", 71), ("Khá", 51), ("Yếu", 0)],
    )


@pytest.fixture
def forms(db):
    if not AwardForm.objects.exists():  # a transactional test's flush emptied the seeded forms
        import importlib

        from django.apps import apps

        importlib.import_module("hoiccb.awards.migrations.0002_seed_forms").seed(apps, None)
    return {f.code: f for f in AwardForm.objects.all()}


@pytest.fixture
def people(cast, tree):
    """Three members in unit A (one in its branch), one in unit B."""
    khoi = cast["khoi"]
    return {
        "hung": admit(khoi, tree["branch_a"], "Nguyễn Văn Hùng"),
        "an": admit(khoi, tree["unit_a"], "Lê Thị Ân"),
        "binh": admit(khoi, tree["unit_a"], "Phạm Văn Bình"),
        "hai": admit(khoi, tree["unit_b"], "Trần Văn Hải"),
    }


@pytest.fixture
def rated(movement, people, cast, tree):
    """Every member CCB gương mẫu each year 2019–2024; unit A excellent, B good."""
    for year in movement.years:
        for unit in (tree["unit_a"], tree["branch_a"], tree["unit_b"]):
            ids = {m.pk for m in people.values()}
            movement_services.member_ratings_save(
                actor=cast["khoi"], movement=movement, unit=unit, year=year, exemplary_ids=ids
            )
        movement_services.unit_ratings_save(
            actor=cast["khoi"], movement=movement, year=year, scores={tree["unit_a"]: 85, tree["unit_b"]: 75}
        )
    return movement


@pytest.fixture
def round_(rated, cast, tree, forms):
    rnd = services.round_create(
        actor=cast["khoi"],
        unit=tree["bloc"],
        movement=rated,
        name="Tổng kết phong trào CCB gương mẫu 2019–2024",
        year=2024,
    )
    services.quota_set(actor=cast["khoi"], round=rnd, form=forms["giay-khen-khoi"], basis=QuotaBasis.NUMBER, value=3)
    return rnd


ISSUED = datetime.date(2024, 6, 5)
