"""Plausible member records, generated fast: for the demo bloc and for benchmarks at scale.

Names come from Faker's vi_VN pools widened with common Vietnamese names; each
record is consistent (service dates fit the birth year, CCB/CQN follows the
enlistment period). Rows go in by bulk insert (SQLite) or COPY (PostgreSQL).
"""

import datetime
import random
from collections.abc import Iterator

from django.utils import timezone

from hoiccb.demo.names import (
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
from hoiccb.lib.dates import PartialDate
from hoiccb.lib.vietnamese import name_sort_key, normalize_search
from hoiccb.members.bulk import MemberRecord


def theatres_for(enlisted_year: int) -> list[str]:
    """Return the service-period codes a soldier enlisted in that year would have."""
    if enlisted_year < 1955:
        return ["chong-phap"]
    if enlisted_year < 1976:
        return ["chong-my"]
    if enlisted_year < 1990:
        return [random.choice(["bien-gioi-tay-nam", "bien-gioi-phia-bac", "quoc-te"])]
    return ["thoi-binh"]


def generate_members(
    units: list,
    count: int,
    *,
    seed: int = 2024,
    deceased_share: float = 0.04,
    card_prefix: str = "HV",
    start_number: int = 1,
) -> Iterator[MemberRecord]:
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
        yield MemberRecord(values, theatres)


def _partial(rng: random.Random, year: int, full_share: float = 0.5) -> PartialDate:
    roll = rng.random()
    if roll < full_share:
        return PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
    if roll < full_share + 0.25:
        return PartialDate(year, rng.randint(1, 12))
    return PartialDate(year)
