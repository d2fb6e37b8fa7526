"""The ballots PDF, laid out by the background worker: the waiting page with its bar, the PDF read
back once the job has run, the same PDF at once for the same ballots, a new one when they change,
and nothing for another unit's chair."""

import subprocess

import pytest
from django.urls import reverse

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.meetings import places
from hoiccb.meetings.elections import docs, services
from hoiccb.meetings.elections.tests.conftest import BALLOT_ORDER, hold_congress

NAMES = BALLOT_ORDER[:5]  # An (Lê), An (Nguyễn), Bình, Chiến, Cường
DELEGATES = 23  # more than one part of 20: the parts are joined into one file


@pytest.fixture
def ask(settings, django_capture_on_commit_callbacks):
    """Ask for the ballots; returns (the response, the worker): calling the worker runs the one job
    the request queued, through django-tasks (its immediate backend stands for `db_worker`)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}

    def ask(client, url):
        with django_capture_on_commit_callbacks() as queued:
            response = client.get(url)
        assert len(queued) == 1, "one job queued"
        return response, queued[0]

    return ask


@pytest.fixture
def voting(cast, tree):
    meeting, people = hold_congress(
        cast["coso1"], tree["unit_a"], tree["branch_a"], delegates=DELEGATES, candidate_names=NAMES
    )
    election = services.election_create(actor=cast["coso1"], meeting=meeting, body="bch", seats=4)
    for name in NAMES:
        services.candidate_add(actor=cast["coso1"], election=election, member=people[name])
    return services.list_approve(actor=cast["coso1"], election=election)


def pdf_pages(content: bytes, tmp_path) -> list[str]:
    """The text of each page as pdftotext lays it out."""
    path = tmp_path / "phieu-bau.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return text.split("\f")[:-1]  # every page ends with a form feed


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf", response
    assert "phieu-bau-" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_ballots_are_laid_out_in_the_background_then_downloaded(cast, voting, client, ask, tmp_path):
    client.force_login(cast["coso1"])
    url = reverse("meetings:ballots_pdf", args=[voting.pk])
    # Asked for, not yet made: the waiting page with its bar, which polls the same address.
    response, worker = ask(client, url)
    waiting = response.content.decode()
    assert 'role="progressbar"' in waiting and f'hx-get="{url}"' in waiting
    assert "Đang chờ đến lượt xử lý" in waiting and f"0 / {DELEGATES} phiếu bầu" in waiting
    polled = client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and 'id="pdf-progress"' in polled.content.decode()

    # The worker lays them out; the next poll sends the browser to the file, which downloads.
    worker()
    polled = client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 204 and polled["HX-Redirect"] == url
    pages = pdf_pages(download(client, url), tmp_path)
    assert len(pages) == DELEGATES  # one per delegate, both parts joined
    for serial in (1, 20, 21, DELEGATES):
        page = pages[serial - 1]
        assert f"Số phiếu: {serial:03d}" in page and "PHIẾU BẦU CỬ" in page and "Dấu của" in page
        positions = [page.index(name) for name in NAMES]
        assert positions == sorted(positions)  # the names in Vietnamese order on every ballot


def test_changed_ballots_make_a_new_pdf_not_the_stale_one(cast, tree, voting, client, ask, tmp_path):
    client.force_login(cast["coso1"])
    url = reverse("meetings:ballots_pdf", args=[voting.pk])
    ask(client, url)[1]()
    assert len(pdf_pages(download(client, url), tmp_path)) == DELEGATES

    # One candidate fewer on the list: the stored PDF is not served; a new one is made.
    voting.candidates.remove(voting.candidates.get(full_name="Hoàng Văn Chiến"))
    response, worker = ask(client, url)
    assert 'role="progressbar"' in response.content.decode()
    worker()
    pages = pdf_pages(download(client, url), tmp_path)
    assert "Hoàng Văn Chiến" not in "".join(pages) and "Đỗ Văn Cường" in pages[0]

    # A delegate added late, on a place given for them: one ballot more.
    meeting = voting.election.meeting
    (allotment,) = places.allot(actor=cast["coso1"], meeting=meeting, places={tree["branch_a"]: DELEGATES + 1})
    late = admit(cast["coso1"], tree["branch_a"], "Lương Văn Muộn", birth_date=PartialDate(1955))
    places.delegate_add(actor=cast["coso1"], allotment=allotment, member=late)
    response, worker = ask(client, url)
    assert 'role="progressbar"' in response.content.decode()
    worker()
    pages = pdf_pages(download(client, url), tmp_path)
    assert len(pages) == DELEGATES + 1 and f"Số phiếu: {DELEGATES + 1:03d}" in pages[-1]


def test_another_units_chair_gets_nothing(cast, voting, client, ask):
    url = reverse("meetings:ballots_pdf", args=[voting.pk])
    client.force_login(cast["coso1"])
    ask(client, url)[1]()  # made and stored for its own unit
    assert client.get(url).status_code == 200
    client.force_login(cast["coso2"])
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404


def test_a_failed_layout_says_so_in_vietnamese_and_asking_again_retries(cast, voting, client, ask):
    from hoiccb.lib import pdf_jobs, storage

    client.force_login(cast["coso1"])
    url = reverse("meetings:ballots_pdf", args=[voting.pk])
    response, worker = ask(client, url)
    # The stored job damaged before the worker reads it (a full disk, say): the job fails.
    key = pdf_jobs.key_of(docs.ballots_pdf(voting))
    storage.write(storage.private_name("pdf", f"{key}.json"), b"{")
    worker()
    page = client.get(url, follow=True).content.decode()
    assert "Không tạo được tệp PDF do lỗi hệ thống; hãy thử lại sau." in page
    assert "Bầu Ban Chấp hành" in page  # back on the election's page
    response, worker = ask(client, url)  # asked again: queued again, and this time made
    assert 'role="progressbar"' in response.content.decode()
    worker()
    assert client.get(url)["Content-Type"] == "application/pdf"
