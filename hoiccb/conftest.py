"""The shared cast of the tests: a small tree and a user for every role.

province ─ bloc ─┬─ unit_a (chair: coso1) ─ branch_a
                 └─ unit_b (chair: coso2)
"""

import datetime
import os

import pytest

from hoiccb.accounts.models import Role, User
from hoiccb.lib.dates import PartialDate
from hoiccb.members import services as member_services
from hoiccb.org import services as org_services
from hoiccb.org.models import UnitKind

PASSWORD = "mat-khau-thu-nghiem-2024"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Argon2 is the production hasher (see settings); tests only need a cheap one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ensure_reference_data():
    """Re-run the seeding data migrations when a transactional test's flush emptied them."""
    import importlib

    from django.apps import apps

    for module in (
        "hoiccb.org.migrations.0002_seed_unit_kinds",
        "hoiccb.members.migrations.0003_seed_theatres",
        "hoiccb.activities.migrations.0002_seed_activity_kinds",
    ):
        importlib.import_module(module).seed(apps, None)


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    # Uploads and the shared cache go to fresh folders per test: no cached page or job
    # progress outlives its test, and a running `make run` keeps its own var/ untouched.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


@pytest.fixture
def kinds(db):
    if not UnitKind.objects.exists():
        ensure_reference_data()
    return {k.code: k for k in UnitKind.objects.all()}


@pytest.fixture
def tree(kinds):
    province = org_services.unit_create(actor=None, parent=None, kind=kinds["tinh"], code="T", name="Hội CCB tỉnh")
    bloc = org_services.unit_create(
        actor=None, parent=province, kind=kinds["khoi"], code="K", name="Hội CCB Khối cơ quan và doanh nghiệp tỉnh"
    )
    unit_a = org_services.unit_create(
        actor=None,
        parent=bloc,
        kind=kinds["co-so"],
        code="A",
        name="Hội CCB Sở Tài chính",
        established_on=datetime.date(2010, 1, 1),
    )
    unit_b = org_services.unit_create(actor=None, parent=bloc, kind=kinds["co-so"], code="B", name="Hội CCB Sở Y tế")
    branch_a = org_services.unit_create(
        actor=None, parent=unit_a, kind=kinds["chi-hoi"], code="A1", name="Chi hội 1 Sở Tài chính"
    )
    return {"province": province, "bloc": bloc, "unit_a": unit_a, "unit_b": unit_b, "branch_a": branch_a}


def make_user(username, unit, role, **extra):
    return User.objects.create_user(username=username, password=PASSWORD, unit=unit, role=role, **extra)


@pytest.fixture
def cast(tree):
    return {
        "admin": make_user("admin", tree["province"], Role.ADMIN, is_superuser=True, is_staff=True),
        "khoi": make_user("khoi", tree["bloc"], Role.STANDING),
        "coso1": make_user("coso1", tree["unit_a"], Role.OFFICER),
        "coso2": make_user("coso2", tree["unit_b"], Role.OFFICER),
        "uyvien": make_user("uyvien", tree["bloc"], Role.COMMITTEE),
        "nounit": make_user("nounit", None, Role.VIEWER),
    }


def admit(actor, unit, full_name="Nguyễn Văn Hùng", **fields):
    from hoiccb.lib.vietnamese import split_full_name

    ho, chu_dem, ten = split_full_name(full_name)
    fields.setdefault("birth_date", PartialDate(1950, 6, 5))
    return member_services.member_admit(actor=actor, unit=unit, ho=ho, chu_dem=chu_dem, ten=ten, **fields)


@pytest.fixture
def members(cast, tree):
    khoi = cast["khoi"]
    return {
        "hung": admit(
            khoi,
            tree["branch_a"],
            "Nguyễn Văn Hùng",
            cccd="001050000001",
            party_member=True,
            war_invalid_rate=41,
            enlisted_on=PartialDate(1968),
            card_number="YB001",
        ),
        "hung_b": admit(khoi, tree["unit_b"], "Trần Văn Hưng", birth_date=PartialDate(1952), cccd="001052000002"),
        "an": admit(khoi, tree["unit_a"], "Lê Thị Ân", gender="nu", birth_date=PartialDate(1960, 3)),
    }


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']} ({os.environ.get('DATABASE_URL') or 'SQLite'})"


def seat_officer(unit, full_name, role="chu_tich", start=datetime.date(2022, 1, 1), home=None):
    """Record a member (living in `home`, else in `unit`) as the unit's officer (Chairman by default)
    from `start`; returns the member."""
    from hoiccb.org.models import OfficerPosition, Term

    admin = User.objects.filter(is_superuser=True).first() or User.objects.create(
        username="nhiem-ky", is_superuser=True
    )
    member = admit(admin, home or unit, full_name)
    term, _ = Term.objects.get_or_create(unit=unit, start_year=start.year, defaults={"end_year": start.year + 5})
    OfficerPosition.objects.create(unit=unit, term=term, member=member, role=role, start_date=start)
    return member
