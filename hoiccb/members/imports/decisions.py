"""Matched rows grouped by what differs from the registered record, for decisions on the whole group."""

from collections import Counter

from hoiccb.members.imports.records import IMPORTED_FIELDS, stored_value
from hoiccb.members.models import ImportRow, Member, MemberImport, RowStatus, member_field

SAME = ""  # the group of matches that change nothing


def match_differences(batch: MemberImport) -> dict[int, frozenset[str]]:
    """Return {row id: the member fields the file would change} for every matched row of the import."""
    result: dict[int, frozenset[str]] = {}
    rows = batch.rows.filter(status=RowStatus.MATCH).exclude(member=None).values_list("pk", "member_id", "values")
    chunk: list[tuple[int, int, dict]] = []
    for row in rows.iterator(chunk_size=2000):
        chunk.append(row)
        if len(chunk) == 2000:
            result.update(_differences(chunk))
            chunk = []
    result.update(_differences(chunk))
    return result


def _differences(chunk: list[tuple[int, int, dict]]) -> dict[int, frozenset[str]]:
    members = Member.objects.only(*IMPORTED_FIELDS).in_bulk([member_id for _pk, member_id, _values in chunk])
    found = {}
    for pk, member_id, values in chunk:
        member = members.get(member_id)
        if member is None:
            continue
        found[pk] = frozenset(
            key
            for key in IMPORTED_FIELDS
            if values.get(key) not in (None, "") and values[key] != stored_value(member, key)
        )
    return found


def difference_groups(batch: MemberImport) -> list[dict]:
    """Return the kinds of difference among the matches: [{field, label, count}], the most common first.

    A row that differs in two fields counts in both groups; SAME gathers the rows that change nothing.
    """
    counts: Counter[str] = Counter()
    for fields in match_differences(batch).values():
        counts.update(fields or {SAME})
    return [
        {"field": key, "label": _label(key), "count": count}
        for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _label(key: str) -> str:
    if key == SAME:
        return "Không khác gì hồ sơ đã có"
    return f"Khác {str(member_field(key).verbose_name).lower()}"


def rows_in_group(batch: MemberImport, status: str, field: str | None):
    """Return the rows one bulk decision applies to: every row of `status`, or the matches differing in `field`."""
    rows = batch.rows.filter(status=status)
    if status != RowStatus.MATCH or field is None:
        return rows
    wanted = [pk for pk, fields in match_differences(batch).items() if (field in fields if field else not fields)]
    return ImportRow.objects.filter(pk__in=wanted)
