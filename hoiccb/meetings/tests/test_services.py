import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hoiccb.conftest import admit
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings import places as meeting_places
from hoiccb.meetings import selectors, services
from hoiccb.meetings.models import Task, TaskStatus

pytestmark = pytest.mark.django_db


def test_proportional_places_add_up_and_respect_the_minimum():
    places = meeting_places.proportional_places({"a": 900, "b": 90, "c": 10}, total=30, minimum=2)
    assert sum(places.values()) == 30
    assert min(places.values()) >= 2
    assert places == {"a": 26, "b": 2, "c": 2} or places["a"] > places["b"] >= places["c"]
    # Exact: 24 left after minimums, shares 21.6, 2.16, 0.24 → 21+2+0, one left goes to the largest remainder (a).
    assert places == {"a": 24, "b": 4, "c": 2}


def test_proportional_places_refuse_a_total_below_the_minimums():
    with pytest.raises(ValidationError, match="không đủ"):
        meeting_places.proportional_places({"a": 10, "b": 10, "c": 10}, total=5, minimum=2)


def test_proportional_places_for_units_without_members_share_evenly():
    assert sorted(meeting_places.proportional_places({"a": 0, "b": 0}, total=5, minimum=1).values()) == [2, 3]


def test_allot_proportional_uses_members_of_each_subtree(cast, tree, meeting, members):
    allotments = meeting_places.allot_proportional(actor=cast["khoi"], meeting=meeting, total=7, minimum=2)
    by_unit = {a.unit: a for a in allotments}
    # unit_a holds 2 members (one in its branch), unit_b 1.
    assert by_unit[tree["unit_a"]].members == 2 and by_unit[tree["unit_b"]].members == 1
    assert sum(a.places for a in allotments) == 7
    assert by_unit[tree["unit_a"]].places == 4 and by_unit[tree["unit_b"]].places == 3


def test_a_unit_cannot_name_more_delegates_than_its_places(cast, tree, meeting, members):
    (allotment,) = meeting_places.allot(actor=cast["khoi"], meeting=meeting, places={tree["unit_a"]: 1})
    meeting_places.delegate_add(actor=cast["coso1"], allotment=allotment, member=members["hung"])
    with pytest.raises(ValidationError, match="đã cử đủ 1"):
        meeting_places.delegate_add(actor=cast["coso1"], allotment=allotment, member=members["an"])
    assert meeting.delegates.count() == 1
    # Nor cut its places below the delegates already named.
    with pytest.raises(ValidationError, match="không thể giảm"):
        meeting_places.allot(actor=cast["khoi"], meeting=meeting, places={tree["unit_a"]: 0})


def test_delegates_come_from_the_unit_and_its_own_chair(cast, tree, meeting, members):
    (allotment,) = meeting_places.allot(actor=cast["khoi"], meeting=meeting, places={tree["unit_a"]: 3})
    with pytest.raises(ValidationError, match="không phải hội viên"):
        meeting_places.delegate_add(actor=cast["khoi"], allotment=allotment, member=members["hung_b"])
    with pytest.raises(PermissionDenied):
        meeting_places.delegate_add(actor=cast["coso2"], allotment=allotment, member=members["hung"])


def test_a_member_sees_only_their_own_tasks_plus_what_their_role_allows(cast, tree, meeting, committee):
    mine = services.task_create(
        actor=cast["khoi"],
        meeting=meeting,
        assignee=committee,
        title="Dự thảo báo cáo",
        group="noi_dung",
        deadline=datetime.date(2024, 12, 1),
    )
    other = services.task_create(
        actor=cast["khoi"],
        meeting=meeting,
        assignee=cast["khoi"],
        title="Trang trí hội trường",
        group="khanh_tiet",
        deadline=datetime.date(2024, 12, 18),
    )
    assert list(meetings_access.meeting_tasks(committee)) == [mine]
    assert set(meetings_access.meeting_tasks(cast["khoi"])) == {mine, other}
    assert list(meetings_access.meeting_tasks(cast["coso1"])) == []
    # A helper sees the task too.
    services.task_update(
        actor=cast["khoi"],
        task=other,
        assignee=cast["khoi"],
        helpers=[committee],
        title=other.title,
        group=other.group,
        deadline=other.deadline,
        status="todo",
        notes="",
    )
    assert set(meetings_access.meeting_tasks(committee)) == {mine, other}
    assert set(selectors.my_tasks(committee)) == {mine, other}
    # The committee member marks progress on their task, but cannot edit the meeting.
    services.task_progress(actor=committee, task=mine, status="doing", notes="Đã có dàn ý")
    with pytest.raises(PermissionDenied):
        services.agenda_add(actor=committee, meeting=meeting, content="Khai mạc")
    with pytest.raises(PermissionDenied):
        services.task_progress(actor=cast["coso1"], task=mine, status="done", notes="")


def test_late_tasks_on_fixed_dates(cast, meeting, committee):
    def task(title, deadline, status):
        t = services.task_create(
            actor=cast["khoi"], meeting=meeting, assignee=committee, title=title, group="noi_dung", deadline=deadline
        )
        Task.objects.filter(pk=t.pk).update(status=status)
        return t

    late = task("Quá hạn chưa làm", datetime.date(2024, 12, 1), TaskStatus.NOT_STARTED)
    task("Quá hạn nhưng đã xong", datetime.date(2024, 12, 1), TaskStatus.DONE)
    due_today = task("Hạn hôm nay", datetime.date(2024, 12, 10), TaskStatus.IN_PROGRESS)
    blocked = task("Vướng", datetime.date(2024, 12, 15), TaskStatus.BLOCKED)
    assert list(selectors.late_tasks(cast["khoi"], datetime.date(2024, 12, 10))) == [late]
    assert list(selectors.late_tasks(cast["khoi"], datetime.date(2024, 12, 11))) == [late, due_today]
    assert list(selectors.late_tasks(cast["khoi"], datetime.date(2024, 12, 16))) == [late, due_today, blocked]
    assert list(selectors.blocked_tasks(cast["khoi"])) == [blocked]
    assert not due_today.is_late(datetime.date(2024, 12, 10)) and due_today.is_late(datetime.date(2024, 12, 11))


def test_emails_on_assignment_and_before_the_deadline(cast, meeting, committee):
    mail.outbox.clear()
    task = services.task_create(
        actor=cast["khoi"],
        meeting=meeting,
        assignee=committee,
        title="Gửi giấy mời",
        group="khanh_tiet",
        deadline=datetime.date(2024, 12, 13),
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["uyvien@example.vn"]
    assert mail.outbox[0].subject == "[Phân công] Gửi giấy mời – hạn 13/12/2024"
    assert "Hội nghị tổng kết phong trào" in mail.outbox[0].body
    assert services.send_reminders(on=datetime.date(2024, 12, 10)) == 0  # three days before: not yet
    assert services.send_reminders(on=datetime.date(2024, 12, 11)) == 1
    assert mail.outbox[-1].subject.startswith("[Nhắc việc] Gửi giấy mời")
    assert services.send_reminders(on=datetime.date(2024, 12, 12)) == 0  # once only
    task.refresh_from_db()
    assert task.reminded_on == datetime.date(2024, 12, 11)


def test_blocked_needs_a_note_and_done_is_dated(cast, meeting, committee):
    task = services.task_create(
        actor=cast["khoi"],
        meeting=meeting,
        assignee=committee,
        title="Âm thanh",
        group="co_so",
        deadline=datetime.date(2024, 12, 18),
    )
    with pytest.raises(ValidationError):
        services.task_progress(actor=committee, task=task, status="blocked", notes=" ")
    services.task_progress(actor=committee, task=task, status="done", notes="Đã thuê âm thanh")
    task.refresh_from_db()
    assert task.status == "done" and task.done_on is not None


def test_conclusions_become_tasks_followed_until_done(cast, meeting, committee):
    services.minutes_save(actor=cast["khoi"], meeting=meeting, minutes="Hội nghị đã thảo luận…")
    conclusion = services.conclusion_add(
        actor=cast["khoi"],
        meeting=meeting,
        text="Bổ sung hồ sơ khen thưởng",
        action="Hoàn thiện hồ sơ khen thưởng",
        owner=committee,
        due_date=datetime.date(2025, 1, 15),
    )
    task = conclusion.task
    assert task.group == "ket_luan" and task.assignee == committee and task.deadline == datetime.date(2025, 1, 15)
    assert task in selectors.late_tasks(cast["khoi"], datetime.date(2025, 2, 1))
    services.task_progress(actor=committee, task=task, status="done", notes="")
    assert task not in selectors.late_tasks(cast["khoi"], datetime.date(2025, 2, 1))
    meeting.refresh_from_db()
    assert meeting.status == "held"


def test_checklist_applies_once_with_deadlines_before_the_meeting(cast, meeting):
    created = services.apply_checklist(actor=cast["khoi"], meeting=meeting, assignee=cast["khoi"])
    assert len(created) == len(services.SUMMARY_CHECKLIST)
    # The meeting's date has passed: no task starts overdue, each is due today at the earliest.
    assert all(t.deadline == timezone.localdate() for t in created)
    assert {t.group for t in created} >= {"noi_dung", "khanh_tiet", "co_so"}
    assert services.apply_checklist(actor=cast["khoi"], meeting=meeting, assignee=cast["khoi"]) == []


def test_assignee_must_belong_to_the_organising_unit(cast, tree, meeting):
    sibling_meeting = services.meeting_create(
        actor=cast["coso1"], unit=tree["unit_a"], kind="lam_viec", title="Làm việc", starts_at=meeting.starts_at
    )
    with pytest.raises(ValidationError):
        services.task_create(
            actor=cast["coso1"],
            meeting=sibling_meeting,
            assignee=cast["coso2"],
            title="x",
            group="khac",
            deadline=datetime.date(2024, 1, 1),
        )


def test_check_in_and_counts(cast, tree, meeting, members):
    (allotment,) = meeting_places.allot(actor=cast["khoi"], meeting=meeting, places={tree["unit_a"]: 2})
    delegate = meeting_places.delegate_add(actor=cast["coso1"], allotment=allotment, member=members["hung"])
    guest = meeting_places.guest_add(actor=cast["khoi"], meeting=meeting, name="Đồng chí Bí thư Đảng ủy Khối")
    meeting_places.check_in(actor=cast["khoi"], attendee=delegate)
    counts = meeting_places.attendance(meeting)
    assert counts == {"places": 2, "delegates": {"total": 1, "present": 1}, "guests": {"total": 1, "present": 0}}
    guests, delegates = selectors.checkin_search(meeting, "nguyen hung")
    assert delegates == [delegate] and guests == []
    guests, delegates = selectors.checkin_search(meeting, "bí thư")
    assert guests == [guest] and delegates == []
    with pytest.raises(PermissionDenied):
        meeting_places.check_in(actor=cast["coso1"], attendee=guest)


def test_moving_the_unit_rewrites_meeting_paths(cast, tree, meeting):
    from hoiccb.org import services as org_services

    own = services.meeting_create(
        actor=cast["coso1"], unit=tree["unit_a"], kind="bch", title="BCH", starts_at=meeting.starts_at
    )
    org_services.unit_move(actor=cast["admin"], unit=tree["unit_a"], new_parent=tree["province"])
    own.refresh_from_db()
    tree["unit_a"].refresh_from_db()
    assert own.unit_path == tree["unit_a"].path


def admit_in(actor, unit, name):
    return admit(actor, unit, name)


def test_checklist_counts_back_from_a_coming_conference_and_never_starts_overdue(cast, tree, login):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=10)
    meeting = services.meeting_create(
        actor=cast["khoi"],
        unit=tree["bloc"],
        kind="tong_ket",
        title="Hội nghị sắp tới",
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0))),
        venue="Hội trường",
    )
    client = login(cast["khoi"])
    first = client.post(f"/hoi-nghi/{meeting.pk}/viec-mau/", {"assignee": cast["khoi"].pk}, follow=True)
    assert f"Đã thêm {len(services.SUMMARY_CHECKLIST)} việc chuẩn bị" in first.content.decode()
    deadlines = [t.deadline for t in meeting.tasks.all()]
    assert all(today <= d < day for d in deadlines) and len(set(deadlines)) > 1
    again = client.post(f"/hoi-nghi/{meeting.pk}/viec-mau/", {"assignee": cast["khoi"].pk}, follow=True)
    assert "Không thêm việc nào: hội nghị đã có đủ các việc mẫu." in again.content.decode()
    assert "Đã thêm" not in again.content.decode()
