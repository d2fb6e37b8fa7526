import datetime

import pytest

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.reports import services
from hoiccb.reports.models import UnitReport


def first_half_2024(actor, kinds, **extra):
    """Open "6 tháng đầu năm 2024": the grassroots due 05/07, the rest 15/07 (plus `extra`, e.g. a lock date)."""
    return services.period_create(
        actor=actor,
        kind="h1",
        name="6 tháng đầu năm 2024",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 6, 30),
        title="Kết quả hoạt động 6 tháng đầu năm và phương hướng nhiệm vụ 6 tháng cuối năm 2024",
        deadline=datetime.date(2024, 7, 15),
        level_deadlines={kinds["co-so"]: datetime.date(2024, 7, 5)},
        **extra,
    )


# The year 2024 as typed into the period form.
YEAR_FORM = {
    "kind": "year",
    "name": "Năm 2024",
    "start": "01/01/2024",
    "end": "31/12/2024",
    "title": "Tổng kết năm 2024",
}


@pytest.fixture
def period(cast, kinds):
    return first_half_2024(cast["khoi"], kinds)


@pytest.fixture
def staffed(cast, tree):
    """The cast, with three members in unit A and one in unit B, all joined in 2010."""
    k = cast["khoi"]
    for i in range(3):
        admit(k, tree["unit_a"], f"Nguyễn Văn A{i}", joined_on=PartialDate(2010))
    admit(k, tree["unit_b"], "Trần Văn B", joined_on=PartialDate(2010))
    return cast


def write_and_submit(actor, report: UnitReport, **edited) -> UnitReport:
    """Write the plan (and any corrections), then submit; returns the submitted report."""
    report = services.report_update(
        actor=actor,
        report=report,
        expected_version=report.version,
        header={},
        texts={"plan": "Kế hoạch"},
        edited=edited,
    )
    return services.report_submit(actor=actor, report=report)
