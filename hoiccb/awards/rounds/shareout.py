"""Fair share-out of a quota by the largest-remainder method (pure functions, no database).

Each unit's exact share is quota × weight / total weight (a Fraction, never a float).
Every unit first gets the whole part of its share (or the minimum, if larger); the
seats left go one each to the units with the largest remainders, ties broken by the
better rating, then by the larger weight, then by the unit's key, so the result never
depends on the order units are listed in. With groups, the quota is first shared
among the groups the same way, then inside each group.
"""

from dataclasses import dataclass, field
from fractions import Fraction


class ShareOutError(ValueError):
    """The quota cannot be shared as asked (a clear Vietnamese message)."""


@dataclass(frozen=True)
class Claimant:
    key: int
    weight: int
    rating: int = 0
    group: str = ""
    label: str = ""


@dataclass
class Allocation:
    key: int
    exact: Fraction
    whole: int
    remainder: Fraction
    extra: bool
    amount: int
    reason: str = ""
    group: str = ""
    notes: list[str] = field(default_factory=list)


def _fmt(value: Fraction) -> str:
    return f"{float(value):.3f}".replace(".", ",")


def _take_back_over_quota(
    quota: int, claimants: list[Claimant], result: dict[int, Allocation], floor: dict[int, int], rem: dict[int, int]
) -> int:
    """When minimums took more than the whole parts, take seats back from the largest shares above
    their floor, one at a time in turn; returns the seats given."""
    given = sum(a.amount for a in result.values())
    takers = sorted(
        (c for c in claimants if result[c.key].amount > floor[c.key]),
        key=lambda c: (rem[c.key], c.rating, -result[c.key].amount, -c.key),
    )
    i = 0
    while given > quota:
        candidates = [c for c in takers if result[c.key].amount > floor[c.key]]
        c = candidates[i % len(candidates)]
        result[c.key].amount -= 1
        result[c.key].notes.append("bớt 1 để bù mức tối thiểu của đơn vị khác")
        given -= 1
        i += 1
    return given


def largest_remainder(
    quota: int, claimants: list[Claimant], minimum: int = 0, minimums: dict[int, int] | None = None
) -> dict[int, Allocation]:
    """Share `quota` among `claimants` in proportion to their weights; the amounts add up to `quota`.

    `minimum` is the floor of every claimant; `minimums` (by key) overrides it for some.
    """
    if quota < 0:
        raise ShareOutError("Chỉ tiêu không được âm.")
    if not claimants:
        if quota:
            raise ShareOutError("Không có đơn vị nào để phân bổ chỉ tiêu.")
        return {}
    if len({c.key for c in claimants}) != len(claimants):
        raise ShareOutError("Một đơn vị xuất hiện hai lần trong danh sách phân bổ.")
    floor = {c.key: (minimums or {}).get(c.key, minimum) for c in claimants}
    if sum(floor.values()) > quota:
        raise ShareOutError(
            f"Mức tối thiểu {minimum} cho {len(claimants)} đơn vị cần {sum(floor.values())}, vượt chỉ tiêu {quota}."
        )
    total = sum(c.weight for c in claimants)
    result: dict[int, Allocation] = {}
    # Every exact share has the denominator `total`, so remainders compare as integers (rem[key] / total).
    denominator = total or len(claimants)
    rem: dict[int, int] = {}
    for c in claimants:
        numerator = quota * c.weight if total else quota
        whole, rem[c.key] = divmod(numerator, denominator)
        exact = Fraction(numerator, denominator)
        result[c.key] = Allocation(c.key, exact, whole, exact - whole, False, whole, group=c.group)
    # Minimums: raise the units below it, then take the seats back from the others' remainders.
    for a in result.values():
        if a.amount < floor[a.key]:
            a.notes.append(f"nâng lên mức tối thiểu {floor[a.key]}")
            a.amount = floor[a.key]
    given = _take_back_over_quota(quota, claimants, result, floor, rem)
    order = sorted(claimants, key=lambda c: (-rem[c.key], -c.rating, -c.weight, c.key))
    left = quota - given
    rank = {c.key: i + 1 for i, c in enumerate(order)}
    cut = None
    for c in order:
        if left <= 0:
            break
        a = result[c.key]
        a.amount += 1
        a.extra = True
        left -= 1
        cut = rem[c.key]
    for c in claimants:
        a = result[c.key]
        base = (
            f"Tỷ lệ {c.weight}/{total}: suất chính xác {_fmt(a.exact)}, "
            f"phần nguyên {a.whole}, phần dư {_fmt(a.remainder)}"
        )
        if a.extra:
            why = f"được thêm 1 vì phần dư xếp thứ {rank[c.key]}"
        elif rem[c.key] == 0:
            why = "không có phần dư"
        elif cut is not None and rem[c.key] == cut:
            why = f"phần dư bằng đơn vị được thêm nhưng xếp thứ {rank[c.key]} (xếp loại/số hội viên thấp hơn)"
        else:
            why = f"phần dư xếp thứ {rank[c.key]}, hết suất dư"
        a.reason = "; ".join([base, why, *a.notes]) + "."
    return result


def share_out(
    quota: int, claimants: list[Claimant], minimum: int = 0, group_minimum: int = 0, by_group: bool = True
) -> dict[int, Allocation]:
    """Share among groups first (balanced across blocs), then among the units of each group.

    Each group gets at least `group_minimum` seats, and at least enough for its units'
    `minimum`; a quota too small for those floors is refused with a message.
    """
    groups = sorted({c.group for c in claimants})
    if not by_group or len(groups) <= 1:
        if len(groups) == 1 and groups[0] and group_minimum > quota:
            raise ShareOutError(f"Mức tối thiểu {group_minimum} suất cho mỗi khối vượt chỉ tiêu {quota} suất.")
        return largest_remainder(quota, claimants, minimum)
    members = {g: [c for c in claimants if c.group == g] for g in groups}
    # With no weight anywhere (every unit empty) units count equally, so a group weighs
    # its number of units, as largest_remainder does for the units themselves.
    weigh_by_count = not any(c.weight for c in claimants)
    group_claimants = [
        Claimant(
            key=i,
            weight=len(members[g]) if weigh_by_count else sum(c.weight for c in members[g]),
            rating=sum(c.rating for c in members[g]) // len(members[g]),
        )
        for i, g in enumerate(groups)
    ]
    floors = {i: max(group_minimum, minimum * len(members[g])) for i, g in enumerate(groups)}
    if sum(floors.values()) > quota:
        parts = []
        if group_minimum:
            parts.append(f"tối thiểu {group_minimum} suất cho mỗi khối × {len(groups)} khối")
        if minimum:
            parts.append(f"tối thiểu {minimum} suất cho mỗi đơn vị")
        raise ShareOutError(
            f"Chỉ tiêu {quota} suất không đủ cho mức tối thiểu ({', '.join(parts)}): cần ít nhất "
            f"{sum(floors.values())} suất. Hãy giảm mức tối thiểu của đợt hoặc xin thêm chỉ tiêu."
        )
    group_share = largest_remainder(quota, group_claimants, minimums=floors)
    result: dict[int, Allocation] = {}
    for i, g in enumerate(groups):
        amount = group_share[i].amount
        inner = largest_remainder(amount, members[g], minimum)
        was_raised = any(n.startswith("nâng lên") for n in group_share[i].notes)
        raised = f" (nâng lên mức tối thiểu {floors[i]})" if was_raised else ""
        for a in inner.values():
            a.reason = f"Khối «{g or 'chưa xếp khối'}» được {amount} suất{raised}. " + a.reason
        result.update(inner)
    return result
