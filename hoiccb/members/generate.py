"""Plausible member records, generated fast: for the demo bloc and for benchmarks at scale.

Names come from Faker's vi_VN pools widened with common Vietnamese names; each
record is consistent (service dates fit the birth year, CCB/CQN follows the
enlistment period). Rows go in by bulk insert (SQLite) or COPY (PostgreSQL).
"""

import datetime
import importlib
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from hoiccb.lib.bulk import insert_rows
from hoiccb.lib.dates import PartialDate
from hoiccb.lib.vietnamese import name_sort_key, normalize_search
from hoiccb.members.demo_names import (  # noqa: E402
    EDUCATION,
    FIRST_FEMALE,
    FIRST_MALE,
    LAST_NAME_WEIGHTS,
    LAST_NAMES,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    PLACES,
    RANKS,
    RESIDENCES,
    SERVED_UNITS,
)
from hoiccb.members.models import Member


def theatres_for(enlisted_year: int) -> list[str]:
    """Return the service-period codes a soldier enlisted in that year would have."""
    if enlisted_year < 1955:
        return ["chong-phap"]
    if enlisted_year < 1976:
        return ["chong-my"]
    if enlisted_year < 1990:
        return [random.choice(["bien-gioi-tay-nam", "bien-gioi-phia-bac", "quoc-te"])]
    return ["thoi-binh"]


@dataclass
class GeneratedMember:
    values: dict
    theatres: list[str]


def generate_members(
    units: list,
    count: int,
    *,
    seed: int = 2024,
    deceased_share: float = 0.04,
    card_prefix: str = "HV",
    start_number: int = 1,
) -> Iterator[GeneratedMember]:
    """Yield `count` consistent member records spread over `units` (larger units get more)."""
    rng = random.Random(seed)
    weights = [rng.uniform(0.3, 3.0) for _ in units]
    today = datetime.date.today()
    now = timezone.now()
    for i in range(start_number, start_number + count):
        unit = rng.choices(units, weights)[0]
        female = rng.random() < 0.08
        ho = rng.choices(LAST_NAMES, LAST_NAME_WEIGHTS)[0]
        chu_dem = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        ten = rng.choice(FIRST_FEMALE if female else FIRST_MALE)
        birth_year = rng.randint(1930, 1980)
        birth = _partial(rng, birth_year)
        enlisted_year = birth_year + rng.randint(17, 22)
        enlisted = _partial(rng, enlisted_year, full_share=0.4)
        discharged_year = min(enlisted_year + rng.choice([3, 4, 5, 6, 10, 20, 25]), today.year - 1)
        discharged = _partial(rng, max(discharged_year, enlisted_year + 1), full_share=0.4)
        theatres = theatres_for(enlisted_year)
        veteran = theatres[0] != "thoi-binh"
        party = rng.random() < 0.34
        joined_year = max(discharged.year + 1, 1990) if discharged.year < today.year else today.year
        deceased = rng.random() < deceased_share
        invalid = veteran and rng.random() < 0.07
        full_name = f"{ho} {chu_dem} {ten}"
        card = f"{card_prefix}{i:08d}" if rng.random() < 0.9 else None
        values = {
            "unit_id": unit.pk,
            "unit_path": unit.path,
            "ho": ho,
            "chu_dem": chu_dem,
            "ten": ten,
            "gender": "nu" if female else "nam",
            "birth_date": birth.to_storage(),
            "birth_year": birth_year,
            "ethnicity": "Kinh" if rng.random() < 0.85 else rng.choice(["Tày", "Dao", "Mông", "Thái", "Nùng"]),
            "religion": "" if rng.random() < 0.9 else rng.choice(["Phật giáo", "Công giáo"]),
            "hometown": rng.choice(PLACES),
            "residence": rng.choice(RESIDENCES),
            "phone": f"09{rng.randint(10000000, 99999999)}" if rng.random() < 0.7 else "",
            "cccd": f"0{rng.randint(1, 96):02d}{0 if birth_year < 2000 else 2}{birth_year % 100:02d}{i:06d}"[:12]
            if rng.random() < 0.6 and i < 1_000_000
            else None,
            "kind": "ccb" if veteran else "cqn",
            "joined_on": PartialDate(min(joined_year, today.year)).to_storage(),
            "card_number": card,
            "card_issued_on": datetime.date(min(joined_year + 1, today.year), 1, 15) if card else None,
            "status": "deceased" if deceased else ("left" if rng.random() < 0.01 else "active"),
            "status_date": (
                datetime.date(rng.randint(2015, today.year - 1), rng.randint(1, 12), 1) if deceased else None
            ),
            "died_on": PartialDate(rng.randint(2015, today.year - 1)).to_storage() if deceased else "",
            "enlisted_on": enlisted.to_storage(),
            "discharged_on": discharged.to_storage(),
            "discharge_kind": rng.choice(["xuat_ngu", "phuc_vien", "nghi_huu", "chuyen_nganh"]),
            "rank": rng.choice(RANKS),
            "served_unit": rng.choice(SERVED_UNITS),
            "war_invalid_rate": rng.choice([21, 31, 41, 61, 81]) if invalid else None,
            "sick_soldier": veteran and rng.random() < 0.03,
            "agent_orange": veteran and rng.random() < 0.04,
            "hero": rng.random() < 0.0005,
            "policy_family": rng.random() < 0.1,
            "family_circumstance": rng.choice(["ho_ngheo", "can_ngheo", "kho_khan"]) if rng.random() < 0.05 else "",
            "health_note": "",
            "party_member": party,
            "party_joined_on": PartialDate(enlisted_year + rng.randint(1, 3)).to_storage() if party else "",
            "education": rng.choice(EDUCATION),
            "occupation": "" if rng.random() < 0.6 else "Cán bộ, công chức",
            "retired": birth_year < 1966,
            "notes": "",
            "search_text": " ".join(p for p in (normalize_search(full_name), normalize_search(card or "")) if p),
            "sort_key": name_sort_key(ho, chu_dem, ten),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        yield GeneratedMember(values, theatres)


def _partial(rng: random.Random, year: int, full_share: float = 0.5) -> PartialDate:
    roll = rng.random()
    if roll < full_share:
        return PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
    if roll < full_share + 0.25:
        return PartialDate(year, rng.randint(1, 12))
    return PartialDate(year)


@contextmanager
def _fts_index_after_insert():
    """On SQLite, index a batch in the trigram search table in one statement after inserting it.

    The row-by-row insert trigger (migration 0005) costs three times the insert itself on a
    bulk load; inside this transaction it is dropped, the new ids are indexed in one
    INSERT … SELECT, and the trigger is put back, so no other writer ever sees it missing.
    """
    if connection.vendor != "sqlite":
        yield lambda ids: None
        return
    migration = importlib.import_module("hoiccb.members.migrations.0005_sqlite_trigram_search")
    create_trigger = next(s for s in migration.CREATE if "members_member_fts_insert" in s)
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS members_member_fts_insert")

        def index(ids):
            if ids:
                cursor.execute(
                    "INSERT INTO members_member_fts(rowid, search_text) "
                    "SELECT id, search_text FROM members_member WHERE id BETWEEN %s AND %s",
                    [ids[0], ids[-1]],
                )

        yield index
        cursor.execute(create_trigger)


def bulk_insert_members(
    records: Iterable[GeneratedMember],
    *,
    full_records: bool = True,
    batch: int = 20_000,
    actor=None,
    import_batch=None,
    note: str = "Dữ liệu ban đầu.",
    on_progress=None,
) -> int:
    """Insert member records in batches (COPY on PostgreSQL); returns how many went in.

    With full_records, each member also gets their service periods and an admission
    entry in their history (by `actor`, tied to `import_batch` when an import wrote
    it), as if a clerk had registered them; benchmarks skip both. `on_progress(n)`
    is called after each batch with the running total.
    """
    from hoiccb.members.models import EventKind, MemberEvent, Theatre

    theatre_ids = dict(Theatre.objects.values_list("code", "pk"))
    attnames = [f.attname for f in Member._meta.concrete_fields if f.attname != "id"]
    # A raw insert skips save(): unit_path and every column without a database default are given here.
    event_attnames = [
        "member_id",
        "unit_path",
        "action",
        "at",
        "actor_id",
        "to_unit_id",
        "summary",
        "changes",
        "note",
        "batch_id",
    ]
    through = Member.theatres.through
    total = 0
    pending: list[GeneratedMember] = []

    def flush():
        nonlocal total
        if not pending:
            return
        with transaction.atomic(), _fts_index_after_insert() as index:
            ids = insert_rows(Member, attnames, [[r.values.get(name) for name in attnames] for r in pending])
            index(ids)
        if full_records:
            now = timezone.now()
            actor_id = actor.pk if actor else None
            batch_id = import_batch.pk if import_batch else None
            insert_rows(
                MemberEvent,
                event_attnames,
                [
                    [
                        pk,
                        r.values["unit_path"],
                        EventKind.ADMITTED,
                        now,
                        actor_id,
                        r.values["unit_id"],
                        "",
                        {},
                        note,
                        batch_id,
                    ]
                    for pk, r in zip(ids, pending, strict=True)
                ],
            )
            through.objects.bulk_create(
                [
                    through(member_id=pk, theatre_id=theatre_ids[code])
                    for pk, r in zip(ids, pending, strict=True)
                    for code in r.theatres
                ],
                batch_size=5000,
            )
        total += len(pending)
        pending.clear()
        if on_progress:
            on_progress(total)

    for record in records:
        pending.append(record)
        if len(pending) >= batch:
            flush()
    flush()
    return total
