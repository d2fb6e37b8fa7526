import datetime

import pytest

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.reports import services
from hoiccb.reports.models import UnitReport


@pytest.fixture
def period(cast, kinds):
    return services.period_create(
        actor=cast["khoi"],
        kind="h1",
        name="6 tháng đầu năm 2024",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 6, 30),
        title="Kết quả hoạt động 6 tháng đầu năm và phương hướng nhiệm vụ 6 tháng cuối năm 2024",
        deadline=datetime.date(2024, 7, 15),
        level_deadlines={kinds["co-so"]: datetime.date(2024, 7, 5)},
    )


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
