import pytest
from django.core.management import call_command

from hoiccb.accounts.models import User
from hoiccb.activities import inspection_selectors, selectors
from hoiccb.activities.models import Activity, Gift, InspectionPlan

pytestmark = pytest.mark.django_db


def test_demo_holds_the_articles_activities(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    titles = list(Activity.objects.values_list("title", flat=True))
    assert any("94 năm Ngày thành lập Đảng" in t for t in titles)
    assert any(t.startswith("Về nguồn năm 2024") for t in titles)
    assert any("Thượng Bằng La" in t for t in titles)
    assert Activity.objects.filter(start_date__year=2024).count() > 300
    khoi, coso1 = User.objects.get(username="khoi"), User.objects.get(username="coso1")
    # The chair's twelve families at Tết 2024, and the bloc warned of the family two units visited.
    assert Gift.objects.filter(unit=coso1.unit, occasion="tet", occasion_year=2024).count() == 12
    groups = selectors.duplicate_gifts(khoi, selectors.GiftFilters(occasion="tet", year=2024))
    assert [g.name for g in groups] == ["Nguyễn Thị Mai"]
    assert InspectionPlan.objects.filter(year=2024).get().records.count() == 3
    assert inspection_selectors.overdue_recommendations(khoi).exists()
