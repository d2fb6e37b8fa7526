"""Background work on the member registry, run by `manage.py db_worker`."""

from django.db import transaction
from django_tasks import task

from hoiccb.members.models import Member

BATCH = 2000


@task()
def rebuild_member_keys() -> int:
    """Recompute every member's search text, sort key and unit path; returns how many changed.

    Needed after an ICU upgrade (sort keys are ICU's and may change between versions)
    or after data was loaded around the services. Works in batches by id.
    """
    changed = 0
    last_id = 0
    fields = ["search_text", "sort_key", "birth_year", "unit_path"]
    while True:
        batch = list(Member.objects.filter(pk__gt=last_id).select_related("unit").order_by("pk")[:BATCH])
        if not batch:
            return changed
        dirty = []
        for member in batch:
            before = tuple(bytes(v) if isinstance(v, memoryview) else v for v in (getattr(member, f) for f in fields))
            member.refresh_derived()
            if before != tuple(getattr(member, f) for f in fields):
                dirty.append(member)
        with transaction.atomic():
            Member.objects.bulk_update(dirty, fields)
        changed += len(dirty)
        last_id = batch[-1].pk
