"""Demo reports: "6 tháng đầu năm 2024" with the bloc's sixty associations in every state.

The period locked after 31/07/2024; the bloc and the two demo chairs' associations were let
through by the level above, so they can still be worked through from the start.
"""

import datetime
import random

from django.utils import timezone

from hoiccb.accounts.models import User
from hoiccb.org.models import Unit, UnitKind
from hoiccb.reports import services
from hoiccb.reports.models import Period, UnitReport

TEXTS = {
    "building": "Duy trì sinh hoạt định kỳ; kết nạp hội viên mới; củng cố chi hội.",
    "propaganda": "Tuyên truyền kỷ niệm 70 năm Chiến thắng Điện Biên Phủ và 94 năm Ngày thành lập Đảng.",
    "movement": "Hội viên tích cực tham gia phong trào “Cựu chiến binh gương mẫu”.",
    "welfare": "Thăm, tặng quà gia đình chính sách, hội viên có hoàn cảnh khó khăn dịp Tết Nguyên đán.",
    "inspection": "Tự kiểm tra việc thực hiện Điều lệ Hội.",
    "shortcomings": "Một số chi hội sinh hoạt chưa đều.",
    "plan": "Tiếp tục thực hiện phong trào thi đua; chuẩn bị tổng kết năm 2024.",
}


def build(*, bloc: Unit, grassroots: list[Unit], clerk: User, province_clerk: User) -> None:
    rng = random.Random(6)
    period = services.period_create(
        actor=clerk,
        kind="h1",
        name="6 tháng đầu năm 2024",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 6, 30),
        title="Kết quả hoạt động 6 tháng đầu năm và phương hướng nhiệm vụ 6 tháng cuối năm 2024",
        deadline=datetime.date(2024, 7, 15),
        level_deadlines={UnitKind.objects.get(code="co-so"): datetime.date(2024, 7, 5)},
    )
    # The first two associations (the demo chairs coso1, coso2) are left for the chairs to do.
    for i, unit in enumerate(grassroots):
        fate = (
            ""
            if i < 2
            else "accepted"
            if i < 46
            else "submitted"
            if i < 51
            else "returned"
            if i < 54
            else "draft"
            if i < 57
            else ""
        )
        if not fate:
            continue  # never opened: missing
        report = services.report_open(actor=clerk, period=period, unit=unit)
        report = services.report_update(
            actor=clerk,
            report=report,
            expected_version=report.version,
            header={"place": "Yên Bái"},
            texts=TEXTS,
            edited={},
        )
        if fate == "draft":
            continue
        services.report_submit(actor=clerk, report=report)
        # The demo's submissions happened in July 2024: most on time, a few late.
        day = datetime.date(2024, 7, rng.choice([1, 2, 3, 4, 5, 5, 8, 10]))
        UnitReport.objects.filter(pk=report.pk).update(
            submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        )
        report.refresh_from_db()
        if fate == "accepted":
            services.report_accept(actor=clerk, report=report)
        elif fate == "returned":
            services.report_return(actor=clerk, report=report, comment="Đề nghị bổ sung số liệu thăm, tặng quà.")
    own = services.report_open(actor=clerk, period=period, unit=bloc)
    services.report_update(
        actor=clerk,
        report=own,
        expected_version=own.version,
        header={"number": "15/BC-CCB", "place": "Yên Bái", "dated_on": datetime.date(2024, 7, 20)},
        texts=TEXTS,
        edited={},
    )
    # The period locked after 31/07/2024 (set afterwards: the reports above were written in July).
    # The level above lets the two demo chairs' associations and the bloc through.
    Period.objects.filter(pk=period.pk).update(locks_on=datetime.date(2024, 7, 31))
    period.refresh_from_db()
    until = timezone.localdate() + datetime.timedelta(days=90)
    for unit in grassroots[:2]:
        services.exception_grant(actor=clerk, period=period, unit=unit, until=until, reason="Đơn vị mới dùng phần mềm.")
    services.exception_grant(
        actor=province_clerk, period=period, unit=bloc, until=until, reason="Chờ các Hội cơ sở nộp bổ sung."
    )
