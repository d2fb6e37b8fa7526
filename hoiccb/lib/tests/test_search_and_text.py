"""Searches answer a NUL byte or a thousand words with results or a message, never a 500;
every typed text is stored clean (NFC, no invisible characters) and notes have a limit."""

import unicodedata

import pytest
from django import forms

from hoiccb.activities.models import ActivityKind
from hoiccb.activities.tests.conftest import make_activity
from hoiccb.conftest import ensure_reference_data
from hoiccb.lib.dates import PartialDate
from hoiccb.lib.forms import NOTE_MAX_CHARS, BootstrapMixin
from hoiccb.lib.search import SEARCH_MAX_WORDS, TOO_LONG, clean_search
from hoiccb.members import services as member_services
from hoiccb.members.models import Member

THOUSAND_WORDS = " ".join(["hung"] * 1000)
DIRTY = "\ufeff" + unicodedata.normalize("NFD", "Nguyễn Văn Hù\u200bng\u202e")


def test_clean_search_cuts_and_cleans():
    assert clean_search("\x00") == ("", "")
    assert clean_search("  nguyen\x00 van\u200b hung ") == ("nguyen van hung", "")
    cut, message = clean_search(THOUSAND_WORDS)
    assert cut.split(" ") == ["hung"] * SEARCH_MAX_WORDS and message == TOO_LONG
    assert clean_search("x" * 500)[0] == "x" * 100


@pytest.mark.django_db
def test_every_search_answers_nul_and_a_thousand_words(cast, tree, client, login):
    if not ActivityKind.objects.exists():
        ensure_reference_data()
    activity = make_activity(cast["admin"], tree["unit_a"], ActivityKind.objects.get(code="tuyen-truyen"))
    public = ["/tin-tuc/tim/"]
    staff = [
        "/tin-tuc/quan-ly/",
        "/hoi-vien/",
        f"/hoat-dong/{activity.pk}/nguoi-tham-gia/",
    ]
    # The pickers (the officer form's member, every unit field) search as you type: they must answer too.
    pickers = ["/hoi-vien/chon/", "/don-vi/chon/"]
    for url in public:
        assert client.get(url, {"q": "\x00"}).status_code == 200
        response = client.get(url, {"q": THOUSAND_WORDS})
        assert response.status_code == 200 and "Từ khóa tìm kiếm dài quá" in response.content.decode()
    admin = login(cast["admin"])
    for url in staff:
        assert admin.get(url, {"q": "\x00"}).status_code == 200, url
        response = admin.get(url, {"q": THOUSAND_WORDS})
        assert response.status_code == 200, url
        assert "Từ khóa tìm kiếm dài quá" in response.content.decode(), url
    for url in pickers:
        for query in ("\x00", THOUSAND_WORDS):
            assert admin.get(url, {"q": query}).status_code == 200, url
            assert admin.get(url, {"q": query}, HTTP_HX_REQUEST="true").status_code == 200, url


@pytest.mark.django_db
def test_a_name_typed_with_nfd_and_invisible_characters_is_stored_clean_and_found(cast, tree, login):
    nfd = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731
    member = member_services.member_admit(
        actor=cast["khoi"],
        unit=tree["unit_a"],
        ho="\ufeff" + nfd("Nguyễn"),
        chu_dem="Văn\u202e",
        ten=nfd("Hù\u200bng"),
        birth_date=PartialDate(1950),
    )
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Văn Hùng"
    assert Member.objects.filter(ten="Hùng").exists()
    client = login(cast["khoi"])
    for typed in ("Hùng", unicodedata.normalize("NFD", "Hù\u200bng"), "nguyen van hung"):
        body = client.get("/hoi-vien/", {"q": typed}).content.decode()
        assert "Nguyễn Văn Hùng" in body, typed


class NoteForm(BootstrapMixin, forms.Form):
    name = forms.CharField(max_length=100)
    note = forms.CharField(required=False, widget=forms.Textarea)
    password = forms.CharField(widget=forms.PasswordInput)


def test_every_text_field_is_cleaned_and_a_note_has_a_limit():
    form = NoteForm({"name": DIRTY, "note": "Dòng\u200b một\r\n\r\n\r\n  dòng   hai\x00 ", "password": " a\u200bb "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Nguyễn Văn Hùng"
    assert form.cleaned_data["note"] == "Dòng một\n\ndòng hai"
    assert form.cleaned_data["password"] == "a\u200bb"  # passwords are kept as typed (stripped only)
    form = NoteForm({"name": "x", "note": "a" * (NOTE_MAX_CHARS + 1), "password": "p"})
    assert not form.is_valid()
    assert form.errors["note"] == [f"Tối đa 5.000 ký tự (đang có {NOTE_MAX_CHARS + 1})."]
    # A name that is nothing but invisible characters is an empty name.
    assert "name" in NoteForm({"name": "\u200b\ufeff", "password": "p"}).errors
