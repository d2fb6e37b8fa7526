"""The hostile corpus posted to every page that takes a file (spreadsheet imports excepted: they
have their own reader and tests): no 500, a Vietnamese message, no row and no file written,
this process alive and its peak memory bounded. A good file is accepted by each page, so the
refusals are the guard's and not a page that refuses everything.
"""

import datetime
import resource
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hoiccb.activities.models import Attachment
from hoiccb.activities.tests.conftest import act_kinds, make_activity  # noqa: F401 (fixture)
from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.documents import decision_template
from hoiccb.awards.models import Nomination
from hoiccb.awards.tests.conftest import forms, movement, people, rated, round_  # noqa: F401 (fixtures)
from hoiccb.lib.tests import hostile
from hoiccb.meetings import services as meeting_services
from hoiccb.meetings.models import MeetingDocument, TaskAttachment
from hoiccb.meetings.tests.conftest import meeting  # noqa: F401 (fixture)
from hoiccb.news.models import ArticlePhoto, Directive
from hoiccb.news.tests.conftest import category, write  # noqa: F401 (fixture)

# Words of the guard's (and the form's) refusals; each page shows one of them.
REFUSED = ("không phải", "mật khẩu", "quá lớn", "lớn hơn", "hỏng", "rỗng", "cắt cụt", "tệp con", "giải nén")
PEAK_GROWTH_LIMIT = 200 * 1024 * 1024


@dataclass
class Page:
    post: Callable[[str, bytes], Any]  # (file name, bytes) → the response, redirects followed
    rows: Callable[[], int]
    good: tuple[str, bytes]


def _news_photo(request, client: Client) -> Page:
    cast, tree = request.getfixturevalue("cast"), request.getfixturevalue("tree")
    article = write(cast["khoi"], tree["bloc"], category=request.getfixturevalue("category"))
    client.force_login(cast["khoi"])
    return Page(
        post=lambda name, data: client.post(
            f"/tin-tuc/quan-ly/{article.pk}/anh/", {"image": SimpleUploadedFile(name, data), "caption": ""}, follow=True
        ),
        rows=ArticlePhoto.objects.count,
        good=("anh.jpg", hostile.photo()),
    )


def _directive(request, client: Client) -> Page:
    cast, tree = request.getfixturevalue("cast"), request.getfixturevalue("tree")
    client.force_login(cast["khoi"])
    return Page(
        post=lambda name, data: client.post(
            "/van-ban/gui/",
            {
                "issuing_unit": tree["bloc"].pk,
                "kind": "chi-dao",
                "number": "01/CĐ-CCB",
                "issued_on": "10/06/2024",
                "summary": "Chỉ đạo tổng kết",
                "upload": SimpleUploadedFile(name, data),
                "recipient_root": tree["bloc"].pk,
                "grassroots_only": "on",
            },
            follow=True,
        ),
        rows=Directive.objects.count,
        good=("chi-dao.pdf", hostile.pdf()),
    )


def _activity(request, client: Client) -> Page:
    cast, tree = request.getfixturevalue("cast"), request.getfixturevalue("tree")
    activity = make_activity(cast["coso1"], tree["unit_a"], request.getfixturevalue("act_kinds")["ve-nguon"])
    client.force_login(cast["coso1"])
    return Page(
        post=lambda name, data: client.post(
            f"/hoat-dong/{activity.pk}/tai-tep/", {"file": SimpleUploadedFile(name, data), "caption": ""}, follow=True
        ),
        rows=Attachment.objects.count,
        good=("doan.jpg", hostile.jpeg_with_gps()),
    )


def _task_file(request, client: Client) -> Page:
    cast = request.getfixturevalue("cast")
    task = meeting_services.task_create(
        actor=cast["khoi"],
        meeting=request.getfixturevalue("meeting"),
        assignee=cast["khoi"],
        title="Dự thảo báo cáo tổng kết",
        group="noi_dung",
        deadline=datetime.date(2099, 1, 1),
    )
    client.force_login(cast["khoi"])
    return Page(
        post=lambda name, data: client.post(
            f"/hoi-nghi/viec/{task.pk}/dinh-kem/", {"file": SimpleUploadedFile(name, data)}, follow=True
        ),
        rows=TaskAttachment.objects.count,
        good=("du-thao.docx", hostile.docx()),
    )


def _meeting_document(request, client: Client) -> Page:
    cast, meeting_ = request.getfixturevalue("cast"), request.getfixturevalue("meeting")
    client.force_login(cast["khoi"])
    return Page(
        post=lambda name, data: client.post(
            f"/hoi-nghi/{meeting_.pk}/tai-lieu/",
            {"kind": "bao_cao", "title": "Báo cáo tổng kết", "upload": SimpleUploadedFile(name, data)},
            follow=True,
        ),
        rows=MeetingDocument.objects.count,
        good=("bao-cao.doc", hostile.word97()),
    )


def _nomination(request, client: Client) -> Page:
    cast, tree = request.getfixturevalue("cast"), request.getfixturevalue("tree")
    rnd, people_, forms_ = (request.getfixturevalue(name) for name in ("round_", "people", "forms"))
    client.force_login(cast["coso1"])
    return Page(
        post=lambda name, data: client.post(
            f"/thi-dua/dot/{rnd.pk}/de-nghi/",
            {
                "form": forms_["giay-khen-khoi"].pk,
                "unit": tree["unit_a"].pk,
                "member": people_["an"].pk,
                "summary": "Gương mẫu",
                "attachment": SimpleUploadedFile(name, data),
            },
            follow=True,
        ),
        rows=Nomination.objects.count,
        good=("thanh-tich.docx", hostile.docx()),
    )


def _decision_template(request, client: Client) -> Page:
    client.force_login(request.getfixturevalue("cast")["admin"])
    return Page(
        post=lambda name, data: client.post(
            "/thi-dua/mau-quyet-dinh/", {"file": SimpleUploadedFile(name, data)}, follow=True
        ),
        # The template file itself is covered by the check that no file appears under MEDIA_ROOT.
        rows=AwardEvent.objects.filter(action="template_upload").count,
        good=("mau.docx", decision_template.default_template()),
    )


PAGES = {
    "news-photo": _news_photo,
    "directive": _directive,
    "activity-file": _activity,
    "task-file": _task_file,
    "meeting-document": _meeting_document,
    "nomination-attachment": _nomination,
    "decision-template": _decision_template,
}


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux counts in KB


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", list(PAGES))
def test_every_upload_page_refuses_the_hostile_corpus(page_name, request, client, settings):
    corpus = [(name, build(), words) for name, build, words in hostile.CORPUS]  # built before measuring
    page = PAGES[page_name](request, client)
    rows = page.rows()
    media = Path(settings.MEDIA_ROOT)
    stored = _files_under(media)
    peak = _peak_bytes()
    for name, data, _words in corpus:
        response = page.post(name, data)
        assert response.status_code == 200, (name, response.status_code)  # a message on a page, never a 500
        text = response.content.decode()
        assert any(word in text for word in REFUSED), (name, text[:3000])
        assert page.rows() == rows, name
        assert _files_under(media) == stored, name
    grown = _peak_bytes() - peak
    assert grown < PEAK_GROWTH_LIMIT, f"peak memory grew by {grown // 1_048_576} MB"
    name, data = page.good
    response = page.post(name, data)
    assert response.status_code == 200 and page.rows() == rows + 1, response.content.decode()[:3000]
