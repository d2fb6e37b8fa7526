import datetime

import pytest

from hoiccb.reports import services


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
