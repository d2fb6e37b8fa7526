"""Demo meetings: the 2019–2024 summary conference in preparation (tasks in every state) and one past
working session with its minutes and conclusions."""

import datetime

from django.conf import settings
from django.utils import timezone

from hoiccb.accounts.models import Role, User
from hoiccb.lib.forms import today
from hoiccb.meetings import places as meeting_places
from hoiccb.meetings import services
from hoiccb.meetings.models import Task, TaskStatus
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit

COMMITTEE = [("uyvien1", "Phạm Văn Lâm"), ("uyvien2", "Đỗ Minh Tuấn")]

AGENDA = [
    ("07:30", "Đón tiếp đại biểu", "Ban tổ chức"),
    ("08:00", "Chào cờ, tuyên bố lý do, giới thiệu đại biểu", "Đồng chí Phó Chủ tịch Hội"),
    ("08:15", "Diễn văn khai mạc", "Đồng chí Chủ tịch Hội CCB Khối"),
    ("08:30", "Báo cáo tổng kết phong trào thi đua CCB gương mẫu giai đoạn 2019–2024", "Đồng chí Phó Chủ tịch Hội"),
    ("09:15", "Tham luận của các cơ sở Hội", "Đại biểu các cơ sở"),
    ("10:00", "Phát biểu chỉ đạo", "Đồng chí Bí thư Đảng ủy Khối"),
    ("10:30", "Khen thưởng tập thể, cá nhân tiêu biểu", "Ban Thường vụ"),
    ("11:00", "Bế mạc hội nghị", "Đồng chí Chủ tịch Hội CCB Khối"),
]

GUESTS = [
    ("Đồng chí Bí thư Đảng ủy Khối", "Bí thư Đảng ủy", "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh", "accepted"),
    ("Đồng chí Phó Chủ tịch Hội CCB tỉnh", "Phó Chủ tịch", "Hội Cựu chiến binh tỉnh", "accepted"),
    ("Đồng chí Trưởng Ban Tuyên giáo", "Trưởng ban", "Đảng ủy Khối", "pending"),
    ("Đồng chí Chủ tịch Công đoàn Khối", "Chủ tịch", "Công đoàn Khối", "declined"),
]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def build(*, bloc: Unit, grassroots: list[Unit], chair: User) -> dict:
    committee = [
        User.objects.create_user(
            username=username,
            password=settings.DEMO_PASSWORD,
            full_name=full_name,
            unit=bloc,
            role=Role.COMMITTEE,
        )
        for username, full_name in COMMITTEE
    ]
    now = today()
    conference = services.meeting_create(
        actor=chair,
        unit=bloc,
        kind="tong_ket",
        title="Hội nghị tổng kết phong trào thi đua CCB gương mẫu giai đoạn 2019–2024",
        starts_at=_at(now + datetime.timedelta(days=12), 8),
        venue="Hội trường tầng 3, trụ sở Đảng ủy Khối",
        sums_up="Phong trào thi đua “Cựu chiến binh gương mẫu” giai đoạn 2019–2024",
    )
    for time, content, presenter in AGENDA:
        services.agenda_add(
            actor=chair,
            meeting=conference,
            time=datetime.time.fromisoformat(time),
            content=content,
            presenter=presenter,
        )
    allotments = meeting_places.allot_proportional(actor=chair, meeting=conference, total=120, minimum=2)
    for allotment in allotments[:6]:
        pool = Member.objects.filter(status=MemberStatus.ACTIVE, unit_path__startswith=allotment.unit.path).order_by(
            "id"
        )[: allotment.places]
        for member in pool:
            meeting_places.delegate_add(actor=chair, allotment=allotment, member=member)
    for name, title, organisation, reply in GUESTS:
        guest = meeting_places.guest_add(
            actor=chair, meeting=conference, name=name, title=title, organisation=organisation
        )
        if reply != "pending":
            meeting_places.guest_reply(actor=chair, guest=guest, reply=reply)
    tasks = services.apply_checklist(actor=chair, meeting=conference, assignee=chair)
    # Spread the checklist over the committee, with every state, and one late and one blocked task.
    states = [
        (committee[0], TaskStatus.DONE, ""),
        (committee[0], TaskStatus.IN_PROGRESS, "Đã có dàn ý, đang tổng hợp số liệu các cơ sở."),
        (committee[1], TaskStatus.NOT_STARTED, ""),
        (committee[1], TaskStatus.BLOCKED, "Còn 3 cơ sở chưa gửi danh sách đề nghị khen thưởng."),
        (chair, TaskStatus.IN_PROGRESS, "Đã in 40/60 giấy mời."),
        (committee[0], TaskStatus.NOT_STARTED, ""),
        (committee[1], TaskStatus.NOT_STARTED, ""),
        (chair, TaskStatus.NOT_STARTED, ""),
    ]
    for task, (assignee, status, notes) in zip(tasks, states, strict=False):
        helpers = [u for u in committee if u != assignee][:1]
        services.task_update(
            actor=chair,
            task=task,
            assignee=assignee,
            helpers=helpers,
            title=task.title,
            group=task.group,
            deadline=task.deadline,
            status=status,
            notes=notes,
        )
    # The report draft was due three weeks before the meeting: make one task visibly late.
    late = conference.tasks.get(title="Chuẩn bị tham luận của các cơ sở Hội")
    Task.objects.filter(pk=late.pk).update(deadline=now - datetime.timedelta(days=3))

    session = services.meeting_create(
        actor=chair,
        unit=bloc,
        kind="lam_viec",
        title="Buổi làm việc của Bí thư Đảng ủy Khối với Ban Thường vụ Hội CCB Khối",
        starts_at=_at(now - datetime.timedelta(days=40), 14),
        venue="Phòng họp Đảng ủy Khối",
    )
    services.agenda_add(actor=chair, meeting=session, content="Hội CCB Khối báo cáo kết quả công tác năm")
    services.agenda_add(actor=chair, meeting=session, content="Ý kiến của đồng chí Bí thư Đảng ủy Khối")
    services.minutes_save(
        actor=chair,
        meeting=session,
        minutes=(
            "Đồng chí Bí thư Đảng ủy Khối ghi nhận kết quả hoạt động của Hội, yêu cầu Ban Thường vụ chuẩn bị "
            "chu đáo hội nghị tổng kết phong trào thi đua: nội dung, khánh tiết, cơ sở vật chất; phân công "
            "rõ nhiệm vụ cho từng đồng chí Ủy viên Ban Thường vụ, Ban Chấp hành."
        ),
    )
    conclusions = [
        ("Chuẩn bị chu đáo hội nghị tổng kết", "Lập kế hoạch tổ chức hội nghị tổng kết", chair, -20, TaskStatus.DONE),
        ("Phân công rõ nhiệm vụ cho từng ủy viên", "Ban hành phân công nhiệm vụ ủy viên BCH", committee[0], -5, None),
        ("Phát triển hội viên ở các cơ sở mới", "Rà soát CCB chưa vào Hội tại các cơ sở", committee[1], 30, None),
    ]
    for text, action, owner, days, done_status in conclusions:
        conclusion = services.conclusion_add(
            actor=chair,
            meeting=session,
            text=text,
            action=action,
            owner=owner,
            due_date=now + datetime.timedelta(days=days),
        )
        if done_status:
            services.task_progress(actor=owner, task=conclusion.task, status=done_status, notes="")
    services.meeting_update(actor=chair, meeting=session, status="closed")
    return {"conference": conference, "session": session, "committee": committee}
