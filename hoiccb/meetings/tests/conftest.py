import datetime

import pytest
from django.utils import timezone

from hoiccb.meetings import services


@pytest.fixture
def meeting(cast, tree):
    return services.meeting_create(
        actor=cast["khoi"],
        unit=tree["bloc"],
        kind="tong_ket",
        title="Hội nghị tổng kết phong trào thi đua CCB gương mẫu giai đoạn 2019–2024",
        starts_at=timezone.make_aware(datetime.datetime(2024, 12, 20, 8, 0)),
        venue="Hội trường tầng 3, trụ sở Khối",
        sums_up="Phong trào thi đua CCB gương mẫu 2019–2024",
    )


@pytest.fixture
def committee(cast):
    user = cast["uyvien"]
    user.email = "uyvien@example.vn"
    user.full_name = "Phạm Văn Ủy"
    user.save()
    return user
