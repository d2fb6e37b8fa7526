"""The home page's "Việc cần làm": reports to write, review and chase, with one reminder for all late units."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoiccb.accounts.models import User
from hoiccb.lib import inbox
from hoiccb.reports import services
from hoiccb.reports.models import ReportReminder


@pytest.fixture
def current(cast, kinds):
    """A period that has begun and whose grassroots deadline has passed."""
    today = datetime.date.today()
    return services.period_create(
        actor=cast["khoi"],
        kind="other",
        name="Kỳ đang chạy",
        start=today - datetime.timedelta(days=60),
        end=today - datetime.timedelta(days=10),
        title="Báo cáo kỳ đang chạy",
        deadline=today + datetime.timedelta(days=10),
        level_deadlines={kinds["co-so"]: today - datetime.timedelta(days=1)},
    )


def test_chair_is_told_to_submit_and_bloc_sees_late_units_and_reports_to_review(cast, tree, current, login):
    chair = cast["coso1"]
    page = login(chair).get("/").content.decode()
    assert "Việc cần làm" in page
    assert "Báo cáo Kỳ đang chạy của đơn vị cần nộp" in page
    assert f"/bao-cao/ky/{current.pk}/" in page

    report = services.report_open(actor=chair, period=current, unit=tree["unit_a"])
    services.report_update(
        actor=chair, report=report, expected_version=report.version, header={}, texts={"plan": "Tiếp tục"}, edited={}
    )
    services.report_submit(actor=chair, report=report)

    page = login(cast["khoi"]).get("/").content.decode()
    assert "Báo cáo Kỳ đang chạy chờ duyệt" in page
    # Unit B has not reported and its deadline is past; unit A has.
    assert "Đơn vị quá hạn chưa nộp báo cáo Kỳ đang chạy" in page
    assert "Nhắc tất cả" in page
    assert 'data-confirm="Gửi thư nhắc nộp báo cáo tới tài khoản của 1 đơn vị quá hạn?"' in page
    # The chair's own inbox no longer asks for the report; a sibling's is not shown to it.
    page = login(chair).get("/").content.decode()
    assert "cần nộp" not in page and "quá hạn chưa nộp" not in page


def test_remind_all_late_units_mails_their_logins_and_is_logged(
    cast, tree, current, login, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=cast["coso2"].pk).update(email="coso2@example.vn")
    client = login(cast["khoi"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/bao-cao/nhac-nop/", {"ky": current.pk, "next": "home"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Đã gửi nhắc nộp báo cáo tới 2 đơn vị." in response.content.decode()
    reminded = set(ReportReminder.objects.values_list("unit__code", flat=True))
    assert reminded == {"A", "B"}
    assert [m.to for m in mail.outbox] == [["coso2@example.vn"]]
    assert "Kỳ đang chạy" in mail.outbox[0].subject


def test_chair_cannot_remind(cast, current, login):
    response = login(cast["coso1"]).post("/bao-cao/nhac-nop/", {"ky": current.pk}, follow=True)
    assert "Không có đơn vị nào quá hạn" in response.content.decode() or "không có quyền" in response.content.decode()
    assert not ReportReminder.objects.exists()


def test_inbox_queries_do_not_grow_with_the_tree(cast, tree, current, kinds):
    from hoiccb.org import services as org_services

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            inbox.collect(User.objects.get(pk=cast["khoi"].pk))
        return len(ctx.captured_queries)

    before = count()
    for i in range(5):
        org_services.unit_create(
            actor=None, parent=tree["bloc"], kind=kinds["co-so"], code=f"X{i}", name=f"Hội CCB X{i}"
        )
    assert count() == before


def test_overdue_count_agrees_with_the_completeness_table(cast, tree, kinds):
    """The inbox's one-query count of late units is the table's OVERDUE count, on every day."""
    from django.utils import timezone

    from hoiccb.org import services as org_services
    from hoiccb.org.models import UnitStatus
    from hoiccb.reports import rollup
    from hoiccb.reports.models import ReportState, UnitReport

    today = datetime.date.today()
    period = services.period_create(
        actor=cast["khoi"],
        kind="other",
        name="Kỳ so",
        start=today - datetime.timedelta(days=60),
        end=today - datetime.timedelta(days=30),
        title="Kỳ so",
        deadline=today - datetime.timedelta(days=5),  # the bloc level's (and any other) deadline
        level_deadlines={kinds["co-so"]: today - datetime.timedelta(days=20)},
    )
    # Under the province: blocs (the period's own deadline) and associations (their level's).
    children = [tree["bloc"]]
    children += [
        org_services.unit_create(actor=None, parent=tree["province"], kind=kinds[kind], code=f"O{i}", name=f"Hội O{i}")
        for i, kind in enumerate(["co-so", "khoi"] * 5)
    ]
    states = [None, ReportState.DRAFT, ReportState.SUBMITTED, ReportState.RETURNED, ReportState.ACCEPTED]
    for i, unit in enumerate(children):
        state = states[i % len(states)]
        if state:
            UnitReport.objects.create(
                period=period,
                unit=unit,
                state=state,
                submitted_at=timezone.now(),
                return_comment="Thiếu số liệu" if state == ReportState.RETURNED else "",
            )
    children[-1].status = UnitStatus.DISSOLVED  # no longer reports: counted by neither
    children[-1].save()
    seen = set()
    for day in range(-25, 1, 5):  # before both deadlines, between them, after both
        on = today + datetime.timedelta(days=day)
        table = rollup.completeness(period, tree["province"], on).counts.get(rollup.Standing.OVERDUE, 0)
        assert rollup.overdue_count(period, tree["province"], on) == table, on
        seen.add(table)
    assert len(seen) >= 3  # none late, the grassroots late, every level late
