"""A search inside a subtree finds what a plain filter finds, whichever plan serves it.

The chair's search (member list, pickers) goes through member_list_page: a capped count
that picks the plan, then the plain sorted page, PostgreSQL's name-word walk or SQLite's
window of the name order. Whatever the database chose, every page and the count must be
those of the slowest possible reading: every member, filtered and sorted in Python.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoiccb.demo.members import generate_members
from hoiccb.members import name_words, selectors
from hoiccb.members.bulk import bulk_insert_members
from hoiccb.members.models import Member
from hoiccb.members.selectors import MemberFilters, member_list_page, search_terms

PAGE = 7


@pytest.fixture
def crowd(cast, tree, members):
    units = [tree["unit_a"], tree["unit_b"], tree["branch_a"]]
    bulk_insert_members(generate_members(units, 600, seed=16), full_records=False)
    return list(Member.objects.values_list("search_text", flat=True))


def expected(prefix: str, q: str, status: str) -> list[int]:
    """Every member under `prefix` whose search text holds every word of q, in name order."""
    terms = search_terms(q)
    rows = [
        (bytes(m.sort_key), m.pk)
        for m in Member.objects.all()
        if m.unit_path.startswith(prefix)
        and all(t in m.search_text for t in terms)
        and (not status or m.status == status)
    ]
    return [pk for _, pk in sorted(rows)]


def served(user, filters: MemberFilters) -> tuple[list[int], int, bool]:
    """Every page of member_list_page, forwards, with the first page's count."""
    ids: list[int] = []
    cursor: str | None = ""
    first = None
    while True:
        page, count, exact = member_list_page(user, filters, after=cursor, size=PAGE)
        first = first or (count, exact)
        ids += [m.pk for m in page.rows]
        if not (cursor := page.next_cursor):
            return ids, *first


def check(user, unit, q: str, status: str = "active") -> list[int]:
    prefix = unit.path if unit is not None else user.unit.path
    want = expected(prefix, q, status)
    ids, count, exact = served(user, MemberFilters(q=q, unit=unit, status=status))
    assert ids == want, (q, unit, status)
    cap = selectors.SEARCH_COUNT_CAP
    assert (count, exact) == ((len(want), True) if len(want) <= cap else (cap, False)), (q, unit)
    return want


# Fragments of every kind: common words, pieces of two words, a short piece (no trigram),
# a whole rare name, a card-number prefix, letters nobody has.
QUERIES = ["hung", "van hu", "nguy", "thi", "an", "van", "tran van", "duc", "hv0001", "zzq"]


@pytest.mark.parametrize("cap", [5, 1_000])
def test_subtree_searches_find_what_a_plain_filter_finds(cast, tree, crowd, monkeypatch, cap):
    # A small cap makes every common search overflow the count (the walk and window
    # plans); the real cap keeps them exact (the sorted plan).
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", cap)
    monkeypatch.setattr(selectors, "NAME_ORDER_WINDOW", 50)
    monkeypatch.setattr(name_words, "BATCH", 9)
    found = 0
    for user, unit in [
        (cast["khoi"], None),
        (cast["khoi"], tree["unit_a"]),
        (cast["khoi"], tree["branch_a"]),
        (cast["coso1"], None),
        (cast["coso2"], tree["unit_b"]),
    ]:
        for q in QUERIES:
            found += len(check(user, unit, q))
        check(user, unit, "hung", status="")
    assert found > 500  # the cases do find people: a case finding nobody would prove nothing


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_piece_of_a_name_searches_alike(cast, tree, crowd, data):
    """Pieces of real search texts (one or two words, cut anywhere) in any subtree."""
    text = data.draw(st.sampled_from(crowd))
    start = data.draw(st.integers(0, max(0, len(text) - 2)))
    q = text[start : start + data.draw(st.integers(2, 9))].strip()
    unit = data.draw(st.sampled_from([None, tree["unit_a"], tree["unit_b"], tree["branch_a"]]))
    if q:
        check(cast["khoi"], unit, q, status="")
