"""PostgreSQL's name-word index (migration 0009) and the walk that reads it (members.name_words)."""

import datetime

import pytest
from django.db import connection

from hoiccb.conftest import admit
from hoiccb.demo.members import generate_members
from hoiccb.members import name_words, selectors, services
from hoiccb.members.bulk import bulk_insert_members
from hoiccb.members.models import Member
from hoiccb.members.selectors import MemberFilters, filtered_members, keyset_page, member_list_page


@pytest.fixture(autouse=True)
def postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("the name-word index exists on PostgreSQL only (SQLite searches through FTS5)")


def stored_rows() -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, sort_key, member_id, unit_path, status FROM members_name_word")
        return {(word, bytes(key), pk, path, status) for word, key, pk, path, status in cursor.fetchall()}


def expected_rows() -> set[tuple]:
    return {
        (word, bytes(m.sort_key), m.pk, m.unit_path, m.status)
        for m in Member.objects.all()
        for word in m.search_text.split(" ")
        if word and not any(ch.isdigit() for ch in word)
    }


def vocabulary() -> dict[str, bool]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, walkable FROM members_name_vocab")
        return dict(cursor.fetchall())


def test_the_index_follows_every_kind_of_write(cast, tree, members):
    khoi = cast["khoi"]
    assert stored_rows() == expected_rows() and ("hung", True) in vocabulary().items()
    # COPY, as imports and seed_demo write.
    bulk_insert_members(generate_members([tree["unit_a"], tree["unit_b"]], 30, card_prefix="BMX"), actor=khoi)
    assert stored_rows() == expected_rows()
    assert vocabulary()["bmx"] is False  # card letters: never a walk's leading word
    hung = Member.objects.get(pk=members["hung"].pk)
    services.member_update(actor=khoi, member=hung, expected_version=hung.version, changes={"ten": "Thịnh"})
    hung.refresh_from_db()
    services.member_transfer(actor=khoi, member=hung, to_unit=tree["unit_b"], on=datetime.date(2024, 1, 1))
    assert stored_rows() == expected_rows()
    Member.objects.filter(pk__in=Member.objects.values("pk")[:5]).update(status="left")
    # Three members other than the renamed one (a LIMIT without order may pick any row).
    Member.objects.filter(pk__in=Member.objects.exclude(pk=hung.pk).values("pk")[:3]).delete()
    assert stored_rows() == expected_rows()
    assert any(word == "thinh" and pk == hung.pk for word, _, pk, _, _ in stored_rows())
    assert not any(word == "hung" and pk == hung.pk for word, _, pk, _, _ in stored_rows())


def all_pages(user, filters, *, walk: bool, backwards: bool = False) -> list[int]:
    """Return the ids of every page, read through member_list_page (walk) or the plain plan."""
    ids: list[int] = []
    cursor: str | None = ""
    while True:
        if walk:
            page = member_list_page(user, filters, **({"before": cursor} if backwards else {"after": cursor}), size=6)[
                0
            ]
        else:
            qs = filtered_members(user, filters)
            page = keyset_page(qs, before=cursor if backwards else "", after="" if backwards else cursor, size=6)
        rows = [m.pk for m in page.rows]
        ids = rows + ids if backwards else ids + rows
        cursor = page.prev_cursor if backwards else page.next_cursor
        if not cursor or (backwards and page.is_first):
            return ids


def test_walked_pages_are_the_plain_plan_pages(cast, tree, members, monkeypatch):
    units = [tree["unit_a"], tree["unit_b"], tree["branch_a"]]
    bulk_insert_members(generate_members(units, 400, seed=7), full_records=False)
    admit(cast["khoi"], tree["branch_a"], "Trần Văn Văn")  # a repeated word is two rows, one member
    # Small numbers, so that 400 members overflow the count and pages cross batches.
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 5)
    monkeypatch.setattr(name_words, "BATCH", 7)
    walked = []
    real_walk = name_words.walk_ids

    def spy(*args, **kwargs):
        walked.append(real_walk(*args, **kwargs))
        return walked[-1]

    monkeypatch.setattr(name_words, "walk_ids", spy)
    khoi, coso1 = cast["khoi"], cast["coso1"]
    cases = [
        (khoi, MemberFilters(q="hung")),
        (khoi, MemberFilters(q="van hu")),
        (khoi, MemberFilters(q="anh", status="")),
        (khoi, MemberFilters(q="thi", kind="ccb")),
        (coso1, MemberFilters(q="nguyen van")),
        (khoi, MemberFilters(q="van", unit=tree["branch_a"])),
    ]
    for user, filters in cases:
        plain = all_pages(user, filters, walk=False)
        assert plain, filters  # a case that finds nobody would prove nothing
        assert all_pages(user, filters, walk=True) == plain, filters
    assert any(result for result in walked if result)  # the walk did serve pages


def test_backwards_pages_match_too(cast, tree, members, monkeypatch):
    bulk_insert_members(generate_members([tree["unit_a"], tree["unit_b"]], 200, seed=3), full_records=False)
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 5)
    monkeypatch.setattr(name_words, "BATCH", 5)
    filters = MemberFilters(q="van")
    forward = all_pages(cast["khoi"], filters, walk=True)
    last_cursor = selectors.encode_cursor(Member.objects.get(pk=forward[-1]))
    qs = filtered_members(cast["khoi"], filters)
    page, _, _ = member_list_page(cast["khoi"], filters, before=last_cursor, size=6)
    assert [m.pk for m in page.rows] == forward[-7:-1]
    assert [m.pk for m in keyset_page(qs, before=last_cursor, size=6).rows] == forward[-7:-1]


def test_a_fragment_of_card_letters_never_leads(cast, tree, members, monkeypatch):
    bulk_insert_members(generate_members([tree["unit_a"]], 40, card_prefix="BMX"), full_records=False)
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 5)
    assert name_words.leading_words(["bmx"], tree["bloc"].path, "") is None
    assert name_words.leading_words(["hung", "van"], tree["bloc"].path, "active")  # name words do
    page, _count, exact = member_list_page(cast["khoi"], MemberFilters(q="bmx", status=""), size=100)
    carded = Member.objects.filter(card_number__startswith="BMX").count()
    assert not exact and len(page.rows) == carded > 20


def test_a_term_nobody_holds_gives_an_empty_page(cast, tree, members):
    assert name_words.leading_words(["zzzq"], tree["bloc"].path, "active") == []
    assert (
        name_words.walk_ids(
            Member.objects.all(), [], prefix=tree["bloc"].path, status="", cursor=None, backwards=False, limit=5
        )
        == []
    )
    admit(cast["khoi"], tree["unit_a"], "Phạm Thị Zzzq")
    assert vocabulary()["zzzq"] is True
    assert name_words.leading_words(["zzzq"], tree["bloc"].path, "active") == ["zzzq"]
