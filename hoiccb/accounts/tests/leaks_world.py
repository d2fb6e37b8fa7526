"""The world of the sibling-unit walks: two sibling units, each with a member, an officer, a login
and every kind of unit-owned object (activities, news, awards, reports, meetings).

`world` builds the units' own objects; the autouse companions add the other apps' objects to every
test that uses `world` and check afterwards that none of the test's requests changed them. A test
module takes them all by assigning them to module names (see test_no_leaks.py).
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.activities import services as activity_services
from hoiccb.activities.models import ActivityKind
from hoiccb.activities.tests.conftest import png_bytes
from hoiccb.conftest import admit
from hoiccb.members.imports import analysis as import_analysis
from hoiccb.members.imports import services as import_services
from hoiccb.org import services as org_services
from hoiccb.org.models import PositionRole


def add_activities(actor, unit, branch, tag: str) -> dict:
    """Give a unit an activity with a photo and a gift, and an inspection plan of its branch with a recommendation."""
    from hoiccb.conftest import ensure_reference_data

    if not ActivityKind.objects.exists():
        ensure_reference_data()
    today = datetime.date.today()
    activity = activity_services.activity_create(
        actor=actor,
        unit=unit,
        kind=ActivityKind.objects.get(code="an-sinh"),
        title=f"Thăm gia đình chính sách {tag}",
        start_date=today,
        occasion="tet",
    )
    attachment = activity_services.attachment_add(
        actor=actor, activity=activity, upload=SimpleUploadedFile("anh.png", png_bytes())
    )
    gift = activity_services.gift_add(
        actor=actor,
        activity=activity,
        beneficiary_name=f"Hộ bà {tag}",
        address="Thôn 1",
        circumstance="ho_ngheo",
        value=500_000,
        form="tien",
        funding_source="quy_hoi",
    )
    plan = activity_services.plan_create(
        actor=actor,
        unit=unit,
        year=today.year,
        title=f"Kiểm tra chi hội {tag}",
        content="Sinh hoạt chi hội",
        start_date=today,
        end_date=today,
        inspected_units=[branch],
    )
    record = plan.records.get()
    recommendation = activity_services.recommendation_add(
        actor=actor, record=record, text=f"Kiến nghị {tag}", owner="Chi hội trưởng", due_date=today
    )
    return {
        "activity": activity,
        "attachment": attachment,
        "gift": gift,
        "plan": plan,
        "record": record,
        "recommendation": recommendation,
        "secrets": [activity.title, gift.beneficiary_name, plan.title, recommendation.text],
    }


@pytest.fixture
def world(cast, tree, settings, tmp_path):
    """Each sibling unit with a member, an officer position, a login, activities, gifts and inspections."""
    settings.MEDIA_ROOT = tmp_path / "media"
    objects = {}
    for chair, unit_key, name in (("coso1", "unit_a", "Nguyễn Văn Một"), ("coso2", "unit_b", "Trần Văn Hai")):
        unit = tree[unit_key]
        member = admit(cast["khoi"], unit, name, cccd=f"00105000000{1 if chair == 'coso1' else 2}", party_member=True)
        term = org_services.term_create(actor=cast["khoi"], unit=unit, start_year=2022, end_year=2027)
        position = org_services.officer_assign(
            actor=cast["khoi"],
            unit=unit,
            term=term,
            member=member,
            role=PositionRole.CHAIR,
            start_date=datetime.date(2022, 7, 1),
        )
        batch = import_services.import_upload(
            actor=cast[chair],
            file_name="ds.csv",
            data=f"Họ và tên,Năm sinh\n{name},1950\n".encode(),
            default_unit=unit,
        )
        import_analysis.analyse(batch, cast[chair])
        objects[chair] = {
            "import": batch,
            "import_row": batch.rows.get(),
            "unit": unit,
            "member": member,
            "position": position,
            "user": cast[chair],
            "secrets": [name, unit.name, member.cccd],
        }
    # Activities, gifts and inspections of each unit (an inspection needs a branch below it).
    for chair, victim in objects.items():
        unit = victim["unit"]
        branch = tree["branch_a"] if unit == tree["unit_a"] else None
        branch = branch or org_services.unit_create(
            actor=None, parent=unit, kind=tree["branch_a"].kind, code=f"{unit.code}9", name=f"Chi hội 9 {unit.name}"
        )
        added = add_activities(cast[chair], unit, branch, victim["member"].full_name)
        victim.update({**added, "secrets": victim["secrets"] + added["secrets"]})
    return objects


# --- News and directives -------------------------------------------------------------


@pytest.fixture(autouse=True)
def _news_in_the_world(request):
    """Add news objects to each unit of `world` for every test of this module that uses it,
    and check afterwards that no request of the test changed them."""
    if "world" not in request.fixturenames:
        yield
        return
    world, cast, tree = (request.getfixturevalue(name) for name in ("world", "cast", "tree"))
    for victim in world.values():
        add_news(victim, cast, tree, victim["secrets"][0])
    yield
    for victim in world.values():
        victim["article"].refresh_from_db()
        assert victim["article"].status == "draft" and victim["article"].title == f"Bản nháp của {victim['secrets'][0]}"
        assert victim["article"].photos.count() == 1
        assert victim["directive"].receipts.get().state == "unread"


def add_news(victim: dict, cast, tree, name: str) -> None:
    """Give a unit an unpublished article with a photo, and a directive the bloc sent to it alone."""
    from hoiccb.news import samples
    from hoiccb.news import services as news_services
    from hoiccb.news.models import Category

    category = Category.objects.get_or_create(slug="hoat-dong", defaults={"name": "Hoạt động"})[0]
    article = news_services.article_create(
        actor=victim["user"],
        unit=victim["unit"],
        title=f"Bản nháp của {name}",
        lead="Chưa đăng.",
        body_source="Nội dung nháp.",
        category=category,
    )
    photo = news_services.photo_add(
        actor=victim["user"],
        article=article,
        upload=SimpleUploadedFile("a.jpg", samples.photo_bytes(40, 30)),
        caption=f"Ảnh nháp của {name}",
    )
    directive = news_services.directive_issue(
        actor=cast["khoi"],
        issuing_unit=tree["bloc"],
        number=f"{victim['unit'].code}/CĐ-CCB",
        issued_on=datetime.date(2024, 6, 10),
        summary=f"Văn bản riêng cho {victim['unit'].name}",
        upload=SimpleUploadedFile("v.pdf", samples.pdf_bytes(["CHI DAO"])),
        recipient_root=victim["unit"],
    )
    victim.update(article=article, photo=photo, directive=directive, category=category)
    victim["secrets"] += [article.title, photo.caption, directive.summary]


# --- Awards (emulation and commendation) -----------------------------------------------


@pytest.fixture(autouse=True)
def _awards_in_the_world(request):
    """Give each unit of `world` its own movement, round, nomination and decision."""
    if "world" not in request.fixturenames:
        return
    from hoiccb.awards.tests.leaks import add_awards

    world, cast, tree = (request.getfixturevalue(name) for name in ("world", "cast", "tree"))
    for victim in world.values():
        add_awards(victim, cast, tree)


# --- Periodic reports ----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _reports_in_the_world(request):
    """Give each unit of `world` a report (its plan names the unit's secret) for one period."""
    if "world" not in request.fixturenames:
        yield
        return
    from hoiccb.reports import services as report_services

    world, cast = request.getfixturevalue("world"), request.getfixturevalue("cast")
    period = report_services.period_create(
        actor=cast["khoi"],
        kind="h1",
        name="6 tháng đầu năm 2024",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 6, 30),
        title="Kết quả 6 tháng đầu năm 2024",
        deadline=datetime.date(2024, 7, 15),
    )
    for victim in world.values():
        report = report_services.report_open(actor=victim["user"], period=period, unit=victim["unit"])
        report_services.report_update(
            actor=victim["user"],
            report=report,
            expected_version=report.version,
            header={},
            texts={"plan": f"Kế hoạch của {victim['secrets'][0]}"},
            edited={},
        )
        victim["report"], victim["period"] = report, period
    yield
    for victim in world.values():
        victim["report"].refresh_from_db()
        assert victim["report"].state == "draft"


# --- Meetings ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _meetings_in_the_world(request):
    """Give each unit of `world` a working session with every kind of meeting object, and check afterwards
    that no request of the test changed them."""
    if "world" not in request.fixturenames:
        yield
        return
    world, cast = request.getfixturevalue("world"), request.getfixturevalue("cast")
    for victim in world.values():
        add_meeting(victim, cast, victim["secrets"][0])
    yield
    for victim in world.values():
        victim["task"].refresh_from_db()
        victim["guest"].refresh_from_db()
        victim["delegate"].refresh_from_db()
        assert victim["task"].status == "todo" and victim["task"].attachments.count() == 1
        assert victim["guest"].reply == "pending" and victim["guest"].checked_in_at is None
        assert victim["delegate"].checked_in_at is None
        assert victim["meeting"].agenda.count() == 1 and victim["meeting"].conclusions.count() == 1
        victim["round"].refresh_from_db()
        assert victim["round"].status == "counting" and victim["round"].batches.get().counted_at is None
        assert victim["election"].candidates.count() == 1 and victim["batch"].entries.count() == 1


def add_election(actor, unit, branch, delegate, name: str) -> dict:
    """A congress of the unit with an election being counted: a candidate, a round, a batch, a ballot."""
    from django.utils import timezone

    from hoiccb.meetings import places as meeting_places
    from hoiccb.meetings import services as meeting_services
    from hoiccb.meetings.elections import services as election_services
    from hoiccb.meetings.elections import voting_services

    congress = meeting_services.meeting_create(
        actor=actor, unit=unit, kind="dai_hoi", title=f"Đại hội của {name}", starts_at=timezone.now()
    )
    (allotment,) = meeting_places.allot(actor=actor, meeting=congress, places={branch: 1})
    meeting_places.check_in(
        actor=actor, attendee=meeting_places.delegate_add(actor=actor, allotment=allotment, member=delegate.member)
    )
    election = election_services.election_create(actor=actor, meeting=congress, body="chu_tich", seats=1)
    candidate = election_services.candidate_add(actor=actor, election=election, member=delegate.member)
    voting = election_services.list_approve(actor=actor, election=election)
    voting_services.voting_close(actor=actor, round=voting)
    batch = voting_services.batch_open(actor=actor, round=voting)
    ballot = voting_services.ballot_enter(actor=actor, batch=batch, slot=1, serial=1)
    return {"election": election, "candidate": candidate, "round": voting, "batch": batch, "ballot": ballot}


def add_meeting(victim: dict, cast, name: str) -> None:
    from django.utils import timezone

    from hoiccb.meetings import places as meeting_places
    from hoiccb.meetings import services as meeting_services
    from hoiccb.org.models import Unit

    actor, unit = victim["user"], victim["unit"]
    meeting = meeting_services.meeting_create(
        actor=actor, unit=unit, kind="lam_viec", title=f"Buổi làm việc của {name}", starts_at=timezone.now()
    )
    agenda_item = meeting_services.agenda_add(actor=actor, meeting=meeting, content=f"Báo cáo của {name}")
    branch = Unit.objects.filter(parent=unit).order_by("pk").first()
    delegate_member = admit(actor, branch, f"Đại Biểu {name.split()[-1]}")
    (allotment,) = meeting_places.allot(actor=actor, meeting=meeting, places={branch: 2})
    delegate = meeting_places.delegate_add(actor=actor, allotment=allotment, member=delegate_member)
    guest = meeting_places.guest_add(actor=actor, meeting=meeting, name=f"Khách mời của {name}")
    task = meeting_services.task_create(
        actor=actor,
        meeting=meeting,
        assignee=actor,
        title=f"Nhiệm vụ của {name}",
        group="noi_dung",
        deadline=datetime.date(2020, 1, 1),
    )
    attachment = meeting_services.attachment_add(
        actor=actor, task=task, upload=SimpleUploadedFile("ghi-chu.txt", b"noi dung")
    )
    conclusion = meeting_services.conclusion_add(
        actor=actor,
        meeting=meeting,
        text=f"Kết luận của {name}",
        action=f"Việc theo kết luận của {name}",
        owner=actor,
        due_date=datetime.date(2020, 1, 1),
    )
    document = meeting_services.document_add(
        actor=actor, meeting=meeting, kind="bao_cao", title=f"Báo cáo của {name}", link="https://example.vn/bc"
    )
    victim.update(add_election(actor, unit, branch, delegate, name))
    victim.update(
        meeting=meeting,
        agenda_item=agenda_item,
        allotment=allotment,
        delegate=delegate,
        guest=guest,
        task=task,
        task_attachment=attachment,
        document=document,
    )
    victim["secrets"] += [
        meeting.title,
        guest.name,
        task.title,
        conclusion.action,
        delegate.full_name,
        document.title,
        agenda_item.content,
    ]
