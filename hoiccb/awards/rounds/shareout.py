"""Fair share-out of a quota by the largest-remainder method (pure functions, no database).

Each unit's exact share is quota × weight / total weight (a Fraction, never a float).
Every unit first gets the whole part of its share (or the minimum, if larger; never more
than its cap, the people it has who may receive the form); the seats left go one each to
the units with the largest remainders, ties broken by the better rating, then by the
larger weight, then by the smaller key (the unit that was entered into the system
first), so the result never depends on the order units are listed in. With groups, the
quota is first shared among the groups the same way, then inside each group.

Every figure a person reads is rounded once, by `round3` (half up, three decimals), so the
table and the explanation always show the same digits.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


class ShareOutError(ValueError):
    """The quota cannot be shared as asked (a clear Vietnamese message)."""


@dataclass(frozen=True)
class Claimant:
    key: int
    weight: int
    # The latest score in tenths of a point (85.5 points → 855); 0: not scored.
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
    label: str = ""
    weight: int = 0
    rating: int = 0


@dataclass
class ShareOut:
    """The units' allocations by key, and the group stage (empty without groups) in group order."""

    units: dict[int, Allocation]
    groups: list[Allocation]


def round3(value: Fraction) -> Decimal:
    """The one rounding of a share shown to people: three decimals, half up."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.001"), ROUND_HALF_UP)


def _fmt(value: Fraction) -> str:
    return str(round3(value)).replace(".", ",")


def _int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _score(rating: int) -> str:
    return f"{rating / 10:.1f} điểm".replace(".", ",") if rating else "chưa chấm điểm"


def _name(c: Claimant, noun: str) -> str:
    return f"«{c.label}»" if c.label else f"{noun} mã {c.key}"


def _tie_break(loser: Claimant, winner: Claimant, noun: str) -> str:
    """Which tie-break put `winner` before `loser`, whose remainders are equal, in words."""
    # A group's rating is the average of its units' latest scores.
    rating = "xếp loại bình quân" if noun == "khối" else "xếp loại"
    if winner.rating != loser.rating:
        return f"{rating} cao hơn ({_score(winner.rating)} so với {_score(loser.rating)})"
    if winner.weight != loser.weight:
        sizes = f"{_int(winner.weight)} so với {_int(loser.weight)}"
        return f"cùng {rating} ({_score(winner.rating)}) nhưng đông hơn ({sizes})"
    return (
        f"cùng {rating} ({_score(winner.rating)}) và cùng số hội viên ({_int(winner.weight)}): theo quy tắc cuối cùng, "
        f"{noun} được nhập vào hệ thống trước (mã {winner.key} so với {loser.key}) được ưu tiên"
    )


def _take_back_over_quota(
    quota: int,
    claimants: list[Claimant],
    result: dict[int, Allocation],
    floor: dict[int, int],
    rem: dict[int, int],
    noun: str,
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
        result[c.key].notes.append(f"bớt 1 suất để bù mức tối thiểu của {noun} khác")
        given -= 1
        i += 1
    return given


def largest_remainder(
    quota: int,
    claimants: list[Claimant],
    minimum: int = 0,
    minimums: dict[int, int] | None = None,
    caps: dict[int, int] | None = None,
    noun: str = "đơn vị",
) -> dict[int, Allocation]:
    """Share `quota` among `claimants` in proportion to their weights; the amounts add up to `quota`.

    `minimum` is the floor of every claimant; `minimums` (by key) overrides it for some. `caps`
    (by key) is the most a claimant may get: the people it has who may receive the form.
    """
    if quota < 0:
        raise ShareOutError("Chỉ tiêu không được âm.")
    if not claimants:
        if quota:
            raise ShareOutError("Không có đơn vị nào để phân bổ chỉ tiêu.")
        return {}
    if len({c.key for c in claimants}) != len(claimants):
        raise ShareOutError("Một đơn vị xuất hiện hai lần trong danh sách phân bổ.")
    cap = {c.key: (caps[c.key] if caps is not None else quota) for c in claimants}
    if sum(cap.values()) < quota:
        raise ShareOutError(
            f"Chỉ tiêu {_int(quota)} suất vượt số người, tập thể đủ điều kiện nhận ({_int(sum(cap.values()))})."
        )
    # A minimum never asks for more than the claimant can receive.
    floor = {c.key: min(cap[c.key], (minimums or {}).get(c.key, minimum)) for c in claimants}
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
        result[c.key] = Allocation(
            c.key,
            exact,
            whole,
            exact - whole,
            False,
            whole,
            group=c.group,
            label=c.label,
            weight=c.weight,
            rating=c.rating,
        )
    for a in result.values():
        if a.amount > cap[a.key]:
            a.notes.append(f"chỉ có {_int(cap[a.key])} người, tập thể đủ điều kiện nên chỉ được {cap[a.key]}")
            a.amount = cap[a.key]
    leftover = quota - sum(a.amount for a in result.values())
    raised = 0
    for a in result.values():
        if a.amount < floor[a.key]:
            a.notes.append(f"nâng lên mức tối thiểu {floor[a.key]}")
            raised += floor[a.key] - a.amount
            a.amount = floor[a.key]
    given = _take_back_over_quota(quota, claimants, result, floor, rem, noun)
    order = sorted(claimants, key=lambda c: (-rem[c.key], -c.rating, -c.weight, c.key))
    winners = _hand_out_remainders(quota - given, order, result, cap)
    # Seats left over after the whole parts that went to minimums instead of remainders.
    funded = min(raised, max(leftover, 0))
    _write_reasons(claimants, order, result, rem, cap, winners, total, noun, funded)
    return result


def _hand_out_remainders(
    left: int, order: list[Claimant], result: dict[int, Allocation], cap: dict[int, int]
) -> list[Claimant]:
    """Give the seats left one each in `order`, skipping units at their cap; returns who got one, in turn."""
    winners: list[Claimant] = []
    # Seats freed by a cap go round again in the same order (only when caps bind).
    while left > 0:
        for c in order:
            a = result[c.key]
            if left <= 0:
                break
            if a.amount >= cap[c.key]:
                continue
            if a.extra:
                a.notes.append("thêm 1 suất do đơn vị khác đã đủ số người đủ điều kiện")
            a.amount += 1
            a.extra = True
            winners.append(c)
            left -= 1
    return winners


def _write_reasons(
    claimants: list[Claimant],
    order: list[Claimant],
    result: dict[int, Allocation],
    rem: dict[int, int],
    cap: dict[int, int],
    winners: list[Claimant],
    total: int,
    noun: str,
    funded: int,
) -> None:
    """Each allocation's reason: its figures, then why it did or did not get a seat left, naming the tie-break."""
    rank = {c.key: i + 1 for i, c in enumerate(order)}
    last = winners[-1] if winners else None
    losers = [c for c in order if not result[c.key].extra and rem[c.key] > 0]
    first_loser = losers[0] if losers else None
    for c in claimants:
        a = result[c.key]
        base = (
            f"Tỷ lệ {_int(c.weight)}/{_int(total)}: suất chính xác {_fmt(a.exact)}, "
            f"phần nguyên {a.whole}, phần dư {_fmt(a.remainder)}"
        )
        if a.extra:
            why = f"được thêm 1 vì phần dư xếp thứ {rank[c.key]}"
            if first_loser is not None and rem[first_loser.key] == rem[c.key]:
                why += (
                    f" (bằng phần dư của {_name(first_loser, noun)}, được trước vì {_tie_break(first_loser, c, noun)})"
                )
        elif rem[c.key] == 0:
            why = "không có phần dư"
        elif a.amount >= cap[c.key]:
            why = "đã đủ số người, tập thể đủ điều kiện"
        elif last is not None and rem[c.key] == rem[last.key]:
            why = (
                f"phần dư bằng {_name(last, noun)} (được suất dư cuối cùng) nhưng xếp thứ {rank[c.key]}: "
                f"{_name(last, noun)} được trước vì {_tie_break(c, last, noun)}"
            )
        elif funded and not any(n.startswith("nâng lên") for n in a.notes):
            why = (
                f"phần dư xếp thứ {rank[c.key]}, hết suất dư vì {funded} suất dư đã dùng để nâng {noun} khác "
                "lên mức tối thiểu"
            )
        else:
            why = f"phần dư xếp thứ {rank[c.key]}, hết suất dư"
        a.reason = "; ".join([base, why, *a.notes]) + "."


def explain(
    quota: int,
    claimants: list[Claimant],
    minimum: int = 0,
    group_minimum: int = 0,
    by_group: bool = True,
    caps: dict[int, int] | None = None,
) -> ShareOut:
    """Share among groups first (balanced across blocs), then among the units of each group.

    Each group gets at least `group_minimum` seats, and at least enough for its units'
    `minimum`; a quota too small for those floors is refused with a message. Returns both
    stages: the group stage is what a chair reads to see how the quota became each group's seats.
    """
    groups = sorted({c.group for c in claimants})
    if not by_group or len(groups) <= 1:
        if len(groups) == 1 and groups[0] and group_minimum > quota:
            raise ShareOutError(f"Mức tối thiểu {group_minimum} suất cho mỗi khối vượt chỉ tiêu {quota} suất.")
        return ShareOut(largest_remainder(quota, claimants, minimum, caps=caps), [])
    members = {g: [c for c in claimants if c.group == g] for g in groups}
    # With no weight anywhere (every unit empty) units count equally, so a group weighs
    # its number of units, as largest_remainder does for the units themselves.
    weigh_by_count = not any(c.weight for c in claimants)
    group_claimants = [
        Claimant(
            key=i,
            weight=len(members[g]) if weigh_by_count else sum(c.weight for c in members[g]),
            rating=sum(c.rating for c in members[g]) // len(members[g]),
            label=g or "chưa xếp khối",
        )
        for i, g in enumerate(groups)
    ]
    group_caps = None if caps is None else {i: sum(caps[c.key] for c in members[g]) for i, g in enumerate(groups)}
    floors = {i: max(group_minimum, minimum * len(members[g])) for i, g in enumerate(groups)}
    if group_caps is not None:  # a group with fewer eligible people than its minimum gets them all
        floors = {i: min(f, group_caps[i]) for i, f in floors.items()}
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
    group_share = largest_remainder(quota, group_claimants, minimums=floors, caps=group_caps, noun="khối")
    result: dict[int, Allocation] = {}
    for i, g in enumerate(groups):
        amount = group_share[i].amount
        inner = largest_remainder(amount, members[g], minimum, caps=caps)
        was_raised = any(n.startswith("nâng lên") for n in group_share[i].notes)
        raised = f" (nâng lên mức tối thiểu {floors[i]})" if was_raised else ""
        for a in inner.values():
            a.reason = f"Khối «{g or 'chưa xếp khối'}» được {amount} suất{raised}. " + a.reason
        result.update(inner)
    return ShareOut(result, [group_share[i] for i in range(len(groups))])


def share_out(
    quota: int, claimants: list[Claimant], minimum: int = 0, group_minimum: int = 0, by_group: bool = True
) -> dict[int, Allocation]:
    """The units' allocations of `explain` (see there)."""
    return explain(quota, claimants, minimum, group_minimum, by_group).units
