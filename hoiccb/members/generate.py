"""Plausible member records, generated fast: for the demo bloc and for benchmarks at scale.

Names come from Faker's vi_VN pools widened with common Vietnamese names; each
record is consistent (service dates fit the birth year, CCB/CQN follows the
enlistment period). Rows go in by bulk insert (SQLite) or COPY (PostgreSQL).
"""

import datetime
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection, models
from django.utils import timezone

from hoiccb.lib.dates import PartialDate
from hoiccb.lib.vietnamese import collation_key, normalize_search
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


@lru_cache(maxsize=4096)
def _part_key(part: str) -> bytes:
    return collation_key(part)


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
            "sort_key": _part_key(ten) + _part_key(chu_dem) + _part_key(ho),
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
    fields = [f for f in Member._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    # Only dates and datetimes need the backend's adaptation; the rest are already in
    # the form the column stores (partial dates as text, sort keys as bytes).
    adapters = {
        i: (
            connection.ops.adapt_datetimefield_value
            if isinstance(f, models.DateTimeField)
            else connection.ops.adapt_datefield_value
        )
        for i, f in enumerate(fields)
        if isinstance(f, models.DateField)
    }
    total = 0
    pending: list[GeneratedMember] = []

    def flush():
        nonlocal total
        if not pending:
            return
        rows = [[r.values.get(f.attname) for f in fields] for r in pending]
        if connection.vendor != "postgresql":
            for row in rows:
                for i, adapt in adapters.items():
                    row[i] = adapt(row[i])
        ids = _insert_rows(columns, rows)
        if full_records:
            MemberEvent.objects.bulk_create(
                [
                    MemberEvent(
                        member_id=pk,
                        kind=EventKind.ADMITTED,
                        to_unit_id=r.values["unit_id"],
                        note=note,
                        actor=actor,
                        batch=import_batch,
                    )
                    for pk, r in zip(ids, pending, strict=True)
                ],
                batch_size=5000,
            )
            through = Member.theatres.through
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


def _insert_rows(columns: list[str], rows: list[list]) -> list[int]:
    """Insert rows into the member table and return their new ids, in order."""
    table = Member._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [len(rows)]
            )
            ids = [r[0] for r in cursor.fetchall()]
            with cursor.cursor.copy(f"COPY {table} (id, {', '.join(columns)}) FROM STDIN") as copy:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row([pk, *row])
            return ids
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        start = cursor.fetchone()[0] + 1
        ids = list(range(start, start + len(rows)))
        placeholders = ", ".join(["%s"] * (len(columns) + 1))
        cursor.executemany(
            f"INSERT INTO {table} (id, {', '.join(columns)}) VALUES ({placeholders})",
            [[pk, *row] for pk, row in zip(ids, rows, strict=True)],
        )
        return ids
