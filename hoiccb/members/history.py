"""A member's history: the entries written for them (MemberEvent), and the admission an import
stands for.

An import does not write an admission entry per member: the member carries the import
(Member.imported_in), and their history shows its admission from it, with the same words,
time and person the entry had. Imports committed before that wrote one entry each; both kinds
are read here.
"""

from hoiccb.members.models import EventKind, Member, MemberEvent, MemberImport


def import_note(batch: MemberImport) -> str:
    return f"Nhập từ tệp “{batch.file_name}” (lần nhập #{batch.pk})."


def import_admission(member: Member, later: list[MemberEvent]) -> MemberEvent | None:
    """The admission entry the member's import stands for (not saved), or None.

    `later` is the member's saved history, newest first. The unit admitted into is the one the
    first move took them from (a transfer, a merge), or their unit now if they never moved.
    """
    batch = member.imported_in
    if batch is None:
        return None
    moves = [e for e in later if e.from_unit_id is not None]
    return MemberEvent(
        member=member,
        unit_path=member.unit_path,
        action=EventKind.ADMITTED,
        at=batch.committed_at or batch.created_at,
        actor=batch.committed_by,
        to_unit=moves[-1].from_unit if moves else member.unit,
        note=import_note(batch),
        batch=batch,
    )


def member_history(member: Member, *, oldest_first: bool = False) -> list[MemberEvent]:
    """Every entry of the member's history, newest first (or oldest first)."""
    entries = list(member.events.select_related("actor", "from_unit", "to_unit"))  # newest first
    admission = import_admission(member, entries)
    if admission is not None:
        entries.append(admission)  # an admission comes before every other entry
        entries.sort(key=lambda e: e.at, reverse=True)  # stable: same-time entries keep their order
    return entries[::-1] if oldest_first else entries


def admitted_member_ids(batch: MemberImport) -> list[int]:
    """The ids of the members an import registered (and that are still there)."""
    ids: list[int] = []
    first_last = batch.counts.get("created_ids")  # set by the commit: no index on imported_in
    if first_last:
        ids += Member.objects.filter(pk__range=first_last, imported_in=batch).values_list("pk", flat=True)
    elif batch.counts.get("created"):
        # The range went missing (counts saved over it): every member, slowly, rather than none.
        ids += Member.objects.filter(imported_in=batch).values_list("pk", flat=True)
    old_entries = MemberEvent.objects.filter(batch=batch, action=EventKind.ADMITTED)
    ids += old_entries.values_list("member_id", flat=True)
    return ids
