"""Reads of the member registry, always starting from the user's scope."""

import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Max, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.members import access as members_access
from hoiccb.members import name_words
from hoiccb.members.models import Member, MemberEvent
from hoiccb.org.models import OfficerPosition, Unit
from hoiccb.org.paths import subtree_filter

# A count beyond this is shown as "more than"; counting millions on every page is what
# makes registries slow, and nobody pages that far.
COUNT_CAP = 10_000
# Searches stop counting sooner: matching a fragment costs more per row than a list.
SEARCH_COUNT_CAP = 1_000
# Longer queries are cut, not refused: nothing this long is a name.
MAX_QUERY_LENGTH = 100


@dataclass
class MemberFilters:
    q: str = ""
    unit: Unit | None = None
    kind: str = ""
    status: str = "active"
    party_member: bool | None = None
    policy: str = ""
    birth_year_from: int | None = None
    birth_year_to: int | None = None
    theatre: str = ""


# Policy-status filters of the member list: code → (label, condition).
POLICY_FILTERS: dict[str, tuple[str, Q]] = {
    "thuong_binh": ("Thương binh", Q(war_invalid_rate__isnull=False)),
    "benh_binh": ("Bệnh binh", Q(sick_soldier=True)),
    "da_cam": ("Nhiễm chất độc da cam", Q(agent_orange=True)),
    "anh_hung": ("Anh hùng LLVT", Q(hero=True)),
    "gia_dinh_chinh_sach": ("Gia đình chính sách", Q(policy_family=True)),
    "kho_khan": ("Hoàn cảnh khó khăn", ~Q(family_circumstance="")),
}


def cccd_query(q: str) -> str:
    """Return the CCCD number a query asks for (12 digits, spaces and dots allowed), or ""."""
    digits = re.sub(r"[\s.]", "", q[:MAX_QUERY_LENGTH])
    return digits if re.fullmatch(r"\d{12}", digits) else ""


def sensitive_criteria(user: User, filters: MemberFilters) -> dict[str, str]:
    """Return {label: value} of the filters that read sensitive data (party, policy, CCCD), as applied.

    Such a list shows who is a party member, a war invalid, or holds a CCCD number: the
    access log keeps one row per list read with these criteria. Empty when none apply.
    """
    if not scoping.can(user, "sensitive"):
        return {}
    criteria = {}
    if filters.party_member is not None:
        criteria["Đảng viên"] = "có" if filters.party_member else "không"
    if filters.policy in POLICY_FILTERS:
        criteria["Diện chính sách"] = POLICY_FILTERS[filters.policy][0]
    if cccd_query(filters.q):
        criteria["Tìm theo số CCCD"] = cccd_query(filters.q)
    return criteria


def search_terms(q: str) -> list[str]:
    """Return the normalised words of a query; each must appear in the member's search text."""
    return [word for word in normalize_search(q[:MAX_QUERY_LENGTH]).split(" ") if word]


def search_condition(terms: list[str]) -> Q:
    """Return the condition "the member's search text contains every term".

    On SQLite the terms of three letters or more go to the FTS5 trigram index
    (migration members.0005) as one MATCH, which intersects them inside the index;
    PostgreSQL's trigram GIN index (migration 0004) serves plain LIKEs.
    """
    condition = Q()
    indexed = [t for t in terms if len(t) >= 3] if connection.vendor == "sqlite" else []
    if indexed:
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in indexed)
        condition &= Q(id__in=RawSQL("SELECT rowid FROM members_member_fts WHERE members_member_fts MATCH %s", [match]))
    for term in terms:
        if term not in indexed:
            condition &= Q(search_text__contains=term)
    return condition


def filtered_members(user: User, filters: MemberFilters, *, scan_in_name_order: bool = False) -> QuerySet[Member]:
    """Return the user's members matching the filters, in Vietnamese name order.

    scan_in_name_order keeps the database off the unit-path index, so that it walks
    the name-order index and stops after one page: the faster plan when the subtree
    holds a large share of all members (see member_list_page).
    """
    prefix = scoping.member_path_prefix(user, filters.unit)
    if prefix is None:
        return Member.objects.none()
    qs: QuerySet[Member]
    if scan_in_name_order:
        qs = Member.objects.annotate(path_unindexed=Concat("unit_path", Value("")))
        qs = qs.filter(**subtree_filter("path_unindexed", prefix))
    else:
        qs = Member.objects.filter(**subtree_filter("unit_path", prefix))
    terms = search_terms(filters.q)
    sensitive = scoping.can(user, "sensitive")
    if sensitive and cccd_query(filters.q):
        # A CCCD number is looked up exactly, and only by roles that may see CCCD numbers.
        qs = qs.filter(cccd=cccd_query(filters.q))
    elif terms:
        qs = qs.filter(search_condition(terms))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.birth_year_from:
        qs = qs.filter(birth_year__gte=filters.birth_year_from)
    if filters.birth_year_to:
        qs = qs.filter(birth_year__lte=filters.birth_year_to)
    if filters.theatre:
        qs = qs.filter(theatres__code=filters.theatre)
    # Filters on sensitive data are honoured only for roles allowed to see that data.
    if sensitive:
        if filters.party_member is not None:
            qs = qs.filter(party_member=filters.party_member)
        if filters.policy in POLICY_FILTERS:
            qs = qs.filter(POLICY_FILTERS[filters.policy][1])
    return qs.order_by("sort_key", "id")


def encode_cursor(member: Member) -> str:
    return f"{binascii.hexlify(bytes(member.sort_key)).decode()}.{member.pk}"


def decode_cursor(cursor: str) -> tuple[bytes, int] | None:
    try:
        key_hex, pk = cursor.split(".", 1)
        return binascii.unhexlify(key_hex), int(pk)
    except (ValueError, binascii.Error):
        return None


@dataclass
class Page:
    rows: list[Member]
    next_cursor: str | None
    prev_cursor: str | None
    is_first: bool


# Reads the ids of a page another way: (cursor, backwards, limit) → ids, or None.
KeyReader = Callable[[tuple[bytes, int] | None, bool, int], list[int] | None]


def keyset_page(
    qs: QuerySet[Member],
    *,
    after: str | None = "",
    before: str | None = "",
    size: int = 50,
    read_keys: KeyReader | None = None,
) -> Page:
    """Return one page of an ordered member queryset, after or before a cursor (none: the first page).

    Keyset paging reads only the rows it shows, so the thousandth page costs what
    the first does, and no COUNT(*) is needed to know whether there is a next page.
    read_keys, when given and not None for this page, finds the ids instead of qs.
    """
    backwards = bool(before) and not after
    token = (before if backwards else after) or ""
    cursor = decode_cursor(token) if token else None
    keys = read_keys(cursor, backwards, size + 1) if read_keys else None
    if keys is None:
        keys = _page_keys(qs, cursor, backwards, size + 1)
    has_more = len(keys) > size
    keys = keys[:size]
    if backwards:
        keys.reverse()
    by_id = Member.objects.select_related("unit").in_bulk(keys)
    rows = [by_id[pk] for pk in keys]
    is_first = cursor is None or (backwards and not has_more)
    next_cursor = encode_cursor(rows[-1]) if rows and (has_more or backwards) else None
    prev_cursor = encode_cursor(rows[0]) if rows and not is_first else None
    return Page(rows=rows, next_cursor=next_cursor, prev_cursor=prev_cursor, is_first=is_first)


def _from_cursor(qs: QuerySet[Member], cursor: tuple[bytes, int] | None, backwards: bool) -> QuerySet[Member]:
    """Return qs past the cursor, in name order (reversed when backwards)."""
    if not cursor:
        return qs.order_by("-sort_key", "-id") if backwards else qs
    key, pk = cursor
    if backwards:
        # sort_key <= key bounds the index range; the OR then drops the cursor row itself.
        qs = qs.filter(sort_key__lte=key).filter(Q(sort_key__lt=key) | Q(id__lt=pk))
        return qs.order_by("-sort_key", "-id")
    return qs.filter(sort_key__gte=key).filter(Q(sort_key__gt=key) | Q(id__gt=pk))


def _page_keys(qs: QuerySet[Member], cursor: tuple[bytes, int] | None, backwards: bool, limit: int) -> list[int]:
    # Ids first, then the rows: the first query can be answered from an index alone
    # (PostgreSQL's covering index, migration 0007), the second reads just one page.
    return list(_from_cursor(qs, cursor, backwards).values_list("id", flat=True)[:limit])


def member_list_page(
    user: User, filters: MemberFilters, *, after: str | None = "", before: str | None = "", size: int = 50
) -> tuple[Page, int, bool]:
    """Return (page, count, count_is_exact) of the member list: what the list pages show.

    The count (capped) comes first and picks the plan: a subtree holding few members
    is read through the unit-path index and sorted; a large one is read in name
    order, stopping after one page. Each plan reads about as many rows as it shows.
    """
    count, exact = capped_count(filtered_members(user, filters), cap=SEARCH_COUNT_CAP if filters.q else COUNT_CAP)
    # SQLite (built without STAT4) takes any range as selective and would sort a whole
    # large subtree; PostgreSQL's statistics make this choice well by themselves.
    scan = False
    if connection.vendor == "sqlite":
        table_size = Member.objects.aggregate(last=Max("id"))["last"] or 0
        scan = not exact or count * count > (size + 1) * table_size
    qs = filtered_members(user, filters, scan_in_name_order=scan)
    # A search that overflowed the count is common: rather than sort every match, on
    # PostgreSQL the name-word index finds its page in name order (members.name_words),
    # on SQLite the first rows of the name order usually hold it.
    read_keys = None
    if filters.q and not exact:
        if connection.vendor == "postgresql":
            read_keys = _name_word_reader(user, filters, qs)
        else:
            read_keys = _name_order_window_reader(user, filters)
    page = keyset_page(qs, after=after, before=before, size=size, read_keys=read_keys)
    return page, count, exact


def _name_word_reader(user: User, filters: MemberFilters, qs: QuerySet[Member]) -> KeyReader | None:
    if connection.vendor != "postgresql":
        return None
    prefix = scoping.member_path_prefix(user, filters.unit)
    if prefix is None:
        return None
    words = name_words.leading_words(search_terms(filters.q), prefix, filters.status)
    if words is None:
        return None

    def read(cursor: tuple[bytes, int] | None, backwards: bool, limit: int) -> list[int] | None:
        return name_words.walk_ids(
            qs, words, prefix=prefix, status=filters.status, cursor=cursor, backwards=backwards, limit=limit
        )

    return read


# Rows of the name order a common search reads (SQLite) before it sorts its matches instead.
NAME_ORDER_WINDOW = 5_000


def _name_order_window_reader(user: User, filters: MemberFilters) -> KeyReader:
    """Return a reader of the page among the next NAME_ORDER_WINDOW members in name order.

    The first `limit` matches inside the window are the first `limit` matches overall.
    A fragment that lives in given names ("hung") may have none there: the window comes
    back short and keyset_page falls back to the FTS5 plan, which sorts its matches.
    """
    everyone = filtered_members(user, replace(filters, q=""), scan_in_name_order=True)
    terms = search_terms(filters.q)

    def read(cursor: tuple[bytes, int] | None, backwards: bool, limit: int) -> list[int] | None:
        window = _from_cursor(everyone, cursor, backwards).values("id")[:NAME_ORDER_WINDOW]
        matches = Member.objects.filter(id__in=window)
        for term in terms:
            matches = matches.filter(search_text__contains=term)
        keys = list(
            _from_cursor(matches.order_by("sort_key", "id"), None, backwards).values_list("id", flat=True)[:limit]
        )
        return keys if len(keys) == limit else None

    return read


def capped_count(qs: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """Return (count, is_exact): counts at most cap + 1 rows."""
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n <= cap


def member_positions(member: Member) -> QuerySet[OfficerPosition]:
    """Return the officer positions a member has held, with their unit and term."""
    return member.positions.select_related("unit", "term")


def recent_events(user: User, limit: int = 10) -> QuerySet[MemberEvent]:
    """Return the latest changes to the members the user may see, newest first."""
    return MemberEvent.objects.filter(member__in=members_access.members(user)).select_related("member", "actor")[:limit]
