"""Writing the sensitive-data access log: one row per read, one index line per member shown.

Views call `log_read(request, ...)`; the rest of the code (and tests) call `access_record`.
The caller decides whether the actor may see the data; this only leaves the trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest

from hoiccb.accounts.models import User
from hoiccb.lib.http import client_ip
from hoiccb.members.history import admitted_member_ids
from hoiccb.members.models import SENSITIVE_FIELDS, Member, SensitiveAccess
from hoiccb.members.privacy.models import SensitiveAccessMember
from hoiccb.org.audit import record

# Index lines go in batches: an export of 100,000 members is 20 inserts of 5,000 pairs.
SHOWN_BATCH = 5000


@transaction.atomic
def access_record(
    *,
    actor: User,
    purpose: str,
    member: Member | None = None,
    member_ids: Iterable[int] = (),
    count: int | None = None,
    unit_path: str = "",
    criteria: dict[str, Any] | None = None,
    fields: Iterable[str] = SENSITIVE_FIELDS,
    ip_address: str | None = None,
) -> SensitiveAccess:
    """Log that `actor` was shown sensitive `fields` of `member`, or of the members `member_ids`; returns the row.

    A list read (no `member`) is filed under `unit_path`, the unit whose list it was.
    """
    ids = [member.pk] if member is not None else sorted(set(member_ids))
    access = record(
        SensitiveAccess,
        actor=actor,
        action="viewed",
        summary=purpose,
        member=member,
        member_ref=member.pk if member is not None else None,
        member_name=member.full_name if member is not None else "",
        count=count if count is not None else len(ids),
        criteria=criteria or {},
        fields=list(fields),
        ip_address=ip_address,
        unit_path=unit_path,
    )
    # Plain executemany, not bulk_create: 100,000 model instances cost seconds, the rows milliseconds.
    meta = SensitiveAccessMember._meta
    table, access_col, member_col = (
        connection.ops.quote_name(name or "")
        for name in (meta.db_table, meta.get_field("access").column, meta.get_field("member_ref").column)
    )
    sql = f"INSERT INTO {table} ({access_col}, {member_col}) VALUES (%s, %s)"  # noqa: S608 (names from the model)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), SHOWN_BATCH):
            cursor.executemany(sql, [(access.pk, pk) for pk in ids[start : start + SHOWN_BATCH]])
    return access


def log_read(request: HttpRequest, purpose: str, **kwargs: Any) -> SensitiveAccess:
    """Log a sensitive read made by a page (the request gives the actor and the address); returns the row."""
    return access_record(actor=request.user, ip_address=client_ip(request), purpose=purpose, **kwargs)  # type: ignore[arg-type]


def log_import_read(
    request: HttpRequest, batch: Any, row_members: Iterable[int | None], purpose: str, *, admitted: bool = False
) -> SensitiveAccess:
    """Log that rows of a list import were shown (preview) or handed out (result file); returns the row.

    `row_members` holds each row's matched member id (None when unmatched). The rows
    carry what the file said (CCCD, party, policy) and the registered member's values;
    the log names the matched members and counts every row. With `admitted`, the members
    the import created are named too (their rows do not point at them).
    """
    members = list(row_members)
    ids = [pk for pk in members if pk]
    if admitted:
        ids += admitted_member_ids(batch)
    return log_read(
        request,
        purpose,
        member_ids=ids,
        count=len(members),
        unit_path=request.user.unit.path if request.user.unit_id else "",  # type: ignore[union-attr]
        criteria={"Lần nhập": f"#{batch.pk} {batch.file_name}"},
    )
