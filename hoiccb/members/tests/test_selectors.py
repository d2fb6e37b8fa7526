from hoiccb.conftest import admit
from hoiccb.members import selectors, services
from hoiccb.members.selectors import MemberFilters, filtered_members, keyset_page, member_list_page


def names(rows):
    return [m.full_name for m in rows]


def test_both_plans_return_the_same_pages(cast, tree):
    for i, name in enumerate(["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Khánh", "Lâm"]):
        admit(cast["khoi"], tree["unit_a" if i % 2 else "unit_b"], f"Nguyễn Văn {name}")
    for filters in (MemberFilters(), MemberFilters(unit=tree["unit_a"]), MemberFilters(q="nguyen van")):
        by_path = filtered_members(cast["khoi"], filters)
        by_name = filtered_members(cast["khoi"], filters, scan_in_name_order=True)
        first, second = keyset_page(by_path, size=4), keyset_page(by_name, size=4)
        assert names(first.rows) == names(second.rows)
        assert names(keyset_page(by_path, after=first.next_cursor, size=4).rows) == names(
            keyset_page(by_name, after=second.next_cursor, size=4).rows
        )


def test_search_index_follows_renames_and_transfers(cast, tree, members):
    hung = members["hung"]
    services.member_update(actor=cast["khoi"], member=hung, expected_version=hung.version, changes={"ten": "Thắng"})
    page, count, _ = member_list_page(cast["khoi"], MemberFilters(q="nguyen van thang"))
    assert names(page.rows) == ["Nguyễn Văn Thắng"] and count == 1
    page, count, _ = member_list_page(cast["khoi"], MemberFilters(q="nguyen van hung"))
    assert count == 0 and page.rows == []


def test_short_and_long_terms_combine(cast, tree, members):
    page, _, _ = member_list_page(cast["khoi"], MemberFilters(q="le an"))
    assert names(page.rows) == ["Lê Thị Ân"]
    page, _, _ = member_list_page(cast["khoi"], MemberFilters(q="van hu"))
    assert names(page.rows) == ["Nguyễn Văn Hùng", "Trần Văn Hưng"]


def test_unit_outside_scope_gives_nothing(cast, tree, members):
    page, count, exact = member_list_page(cast["coso1"], MemberFilters(unit=tree["unit_b"]))
    assert page.rows == [] and count == 0 and exact
    assert selectors.filtered_members(cast["nounit"], MemberFilters()).count() == 0


def test_common_searches_page_like_the_plain_plan(cast, tree, members, monkeypatch):
    """Whatever reads a common search's page (PostgreSQL's name-word walk, SQLite's window of
    the name order, or their fallbacks) returns the pages the plain plan returns."""
    from hoiccb.demo.members import generate_members
    from hoiccb.members import name_words
    from hoiccb.members.bulk import bulk_insert_members

    bulk_insert_members(
        generate_members([tree["unit_a"], tree["unit_b"], tree["branch_a"]], 300, seed=11), full_records=False
    )
    # Small numbers, so that 300 members overflow the count, windows come back short and
    # walks cross batches.
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 5)
    monkeypatch.setattr(selectors, "NAME_ORDER_WINDOW", 40)
    monkeypatch.setattr(name_words, "BATCH", 7)
    for user, filters in [
        (cast["khoi"], MemberFilters(q="nguy")),
        (cast["khoi"], MemberFilters(q="hung")),
        (cast["khoi"], MemberFilters(q="van hu", status="")),
        (cast["coso1"], MemberFilters(q="thi")),
    ]:
        plain: list[int] = []
        cursor: str | None = ""
        while True:
            page = keyset_page(filtered_members(user, filters), after=cursor, size=6)
            plain += [m.pk for m in page.rows]
            if not (cursor := page.next_cursor):
                break
        served: list[int] = []
        cursor = ""
        while True:
            page, _, exact = member_list_page(user, filters, after=cursor, size=6)
            served += [m.pk for m in page.rows]
            if not (cursor := page.next_cursor):
                break
        assert len(plain) > 6 and not exact, filters  # several pages, and the common-search path ran
        assert served == plain, filters
