import pytest

from hoiccb.finance.models import DuesRate, DuesShare


@pytest.fixture
def rate(db):
    return DuesRate.objects.create(from_year=2020, amount=24_000, exempt_from_age=80, exempt_hardship=True)


@pytest.fixture
def shares(kinds):
    # Province 10%, bloc 15%: the grassroots unit keeps the rest.
    DuesShare.objects.create(kind=kinds["tinh"], basis_points=1000)
    DuesShare.objects.create(kind=kinds["khoi"], basis_points=1500)
