"""Walk every URL pattern as one grassroots chair against the objects of a sibling unit.

A new URL pattern with a parameter this test does not know fails the test, so
every page added later is walked too.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from hoiccb.activities import services as activity_services
from hoiccb.activities.models import Activity, ActivityKind, Attachment, Gift
from hoiccb.activities.tests.conftest import png_bytes
from hoiccb.conftest import admit
from hoiccb.members.imports import analysis as import_analysis
from hoiccb.members.imports import services as import_services
from hoiccb.org import services as org_services
from hoiccb.org.models import PositionRole

# Public pages with their own tests: a scanned card's check (valid or not, and the unit,
# members/tests/test_cards.py). Every walk leaves them out.
PUBLIC_CHECKS = {"card_verify"}


def all_patterns(patterns=None, prefix="", namespace=""):
    """Every URL pattern with its name, but Django's admin and the public checks tested on their own."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django's admin: staff only, checked separately below
            ns = entry.namespace or namespace
            yield from all_patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            if entry.name in PUBLIC_CHECKS:
                continue
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}" if namespace else entry.name


PARAMETER = re.compile(r"<(int:pk|slug:slug)>")
# Public pages (no login): they may answer 200, but never with the victim's unpublished items.
PUBLIC_PATTERNS = {"news:category"}


def build_url(route: str, value) -> str:
    return "/" + PARAMETER.sub(str(value), route)


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


# Which of the victim's objects an activities pattern's <pk> names (the activity unless listed).
ACTIVITY_TARGETS = {
    "attachment": "attachment",
    "attachment_delete": "attachment",
    "gift_delete": "gift",
    "plan_detail": "plan",
    "delegate_add": "plan",
    "record_detail": "record",
    "record_edit": "record",
    "recommendation_add": "record",
    "follow_up": "recommendation",
}


def target_for(url_name: str, victim: dict) -> int | str:
    """Return the id (or slug) of the victim's object that a pattern's <pk> (or <slug>) names."""
    if url_name.startswith("activities:"):
        return victim[ACTIVITY_TARGETS.get(url_name.split(":")[1], "activity")].pk
    if url_name == "org:officer_end":
        return victim["position"].pk
    if url_name.startswith("members:import_row"):
        return victim["import_row"].pk
    if url_name.startswith("members:import_"):
        return victim["import"].pk
    app = url_name.split(":")[0]
    if app == "meetings":
        return victim[MEETING_TARGETS.get(url_name.split(":")[1], "meeting")].pk
    if app in ("news", "directives"):
        return news_target(url_name, victim)
    if app == "awards":
        from hoiccb.awards.tests.leaks import award_target

        return award_target(url_name, victim)
    if app == "reports":
        return reports_target(url_name, victim)
    if app == "finance":
        from hoiccb.finance.tests.leaks import finance_target

        return finance_target(url_name, victim)
    return {"org": victim["unit"], "members": victim["member"], "accounts": victim["user"]}[app].pk


def body_text(response) -> str:
    """Return what a response shows: its HTML, or every cell of a spreadsheet download."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data.startswith(b"PK"):
        import io
        import zipfile

        import python_calamine

        if "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist():
            from docx import Document

            doc = Document(io.BytesIO(data))
            cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
            return "\n".join([p.text for p in doc.paragraphs] + cells)

        sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        return "\n".join(" ".join(str(c) for c in row) for row in sheet.to_python())
    return data.decode()


@pytest.mark.parametrize("actor_key,victim_key", [("coso1", "coso2"), ("coso2", "coso1")])
def test_no_pattern_shows_a_sibling_units_data(client, world, actor_key, victim_key):
    actor, victim = world[actor_key], world[victim_key]
    client.force_login(actor["user"])
    walked = 0
    for route, name in all_patterns():
        if "<" in route:
            assert route.count("<") == 1 and PARAMETER.search(route), f"teach this test about {route}"
            url = build_url(route, target_for(name, victim))
            allowed = (200, 404, 405) if name in PUBLIC_PATTERNS else (404, 405)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in allowed, f"{method.upper()} {url} ({name}) → {response.status_code}"
                shown = response.content.decode() if not response.streaming else ""
                for secret in victim["secrets"]:
                    assert secret not in shown, f"{method.upper()} {url} shows {secret!r}"
        else:
            response = client.get("/" + route)
            assert response.status_code in (200, 302, 404, 405), f"GET /{route} → {response.status_code}"
            body = body_text(response)
            for secret in victim["secrets"]:
                assert secret not in body, f"/{route} shows {secret!r}"
        walked += 1
    assert walked >= 15
    # The victim's data is untouched by all those POSTs.
    victim["member"].refresh_from_db()
    assert victim["member"].is_active and victim["member"].unit == victim["unit"]
    assert Activity.objects.filter(pk=victim["activity"].pk).exists()
    assert Attachment.objects.filter(pk=victim["attachment"].pk).exists()
    assert Gift.objects.filter(pk=victim["gift"].pk).exists()
    victim["recommendation"].refresh_from_db()
    assert victim["recommendation"].status == "open" and not victim["recommendation"].follow_ups.exists()


def test_search_does_not_reach_outside_the_scope(client, world):
    client.force_login(world["coso1"]["user"])
    body = client.get("/hoi-vien/", {"q": "tran van hai", "status": ""}).content.decode()
    assert "Trần Văn Hai" not in body
    body = client.get("/hoi-vien/", {"unit": world["coso2"]["unit"].pk}).content.decode()
    assert "Trần Văn Hai" not in body


def test_admin_site_is_for_staff_only(client, world):
    client.force_login(world["coso1"]["user"])
    response = client.get("/quan-tri/members/theatre/")
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]


def test_user_without_unit_sees_nothing(client, cast, world):
    client.force_login(cast["nounit"])
    for url in ("/", "/don-vi/", "/hoi-vien/"):
        body = client.get(url).content.decode()
        for victim in world.values():
            for secret in victim["secrets"]:
                assert secret not in body


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


NEWS_TARGETS = {"news:photo": "photo", "news:photo_remove": "photo"}


def news_target(url_name: str, victim: dict) -> int | str:
    """Return what a news or directive pattern names: a slug for <slug>, else an id."""
    if url_name == "news:article":
        return victim["article"].slug
    if url_name == "news:category":
        return victim["category"].slug
    default = "article" if url_name.startswith("news:") else "directive"
    return victim[NEWS_TARGETS.get(url_name, default)].pk


def test_public_pages_show_nothing_unpublished_to_a_logged_out_visitor(client, world):
    for route, _name in all_patterns():
        if "<" in route or not route.startswith("tin-tuc/"):
            continue
        response = client.get("/" + route)
        assert response.status_code in (200, 302), f"/{route} → {response.status_code}"
        for victim in world.values():
            for secret in (victim["article"].title, victim["photo"].caption, victim["directive"].summary):
                assert secret not in response.content.decode(), f"/{route} shows {secret!r}"
    for victim in world.values():
        assert client.get(f"/tin-tuc/bai/{victim['article'].slug}/").status_code == 404
        assert client.get(f"/tin-tuc/anh/{victim['photo'].pk}/").status_code == 404
        assert client.get(f"/van-ban/{victim['directive'].pk}/tai-ve/").status_code == 302  # to the login page
        assert victim["article"].photos.count() == 1 and victim["directive"].receipts.get().state == "unread"


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


# A period is the installation's calendar, not unit-owned: its page shows the actor's own unit.
PUBLIC_PATTERNS.add("reports:period")


def reports_target(url_name: str, victim: dict) -> int:
    """Return the victim's period for the period page, else the victim's report."""
    return victim["period"].pk if url_name == "reports:period" else victim["report"].pk


# --- Meetings ------------------------------------------------------------------------


# Which of the victim's meeting objects a meetings pattern's <pk> names (the meeting unless listed).
MEETING_TARGETS = {
    "agenda_remove": "agenda_item",
    "delegates": "allotment",
    "delegate_remove": "delegate",
    "checkin_delegate": "delegate",
    "guest_reply": "guest",
    "invitation": "guest",
    "checkin_guest": "guest",
    "task": "task",
    "task_edit": "task",
    "task_attach": "task",
    "task_file": "task_attachment",
    "document": "document",
    "election": "election",
    "candidate_add": "election",
    "list_approve": "election",
    "further_round": "election",
    "election_confirm": "election",
    "election_revert": "election",
    "count_minutes": "election",
    "count_minutes_pdf": "election",
    "announcement": "election",
    "announcement_pdf": "election",
    "candidate_remove": "candidate",
    "ballots_pdf": "round",
    "voting_close": "round",
    "counting": "round",
    "batch_open": "round",
    "round_sign": "round",
    "batch": "batch",
    "batch_count": "batch",
    "ballot_remove": "ballot",
}


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
