"""The checks a report's figures must pass before it is submitted.

A rule compares two sides, each a sum of figure codes and whole numbers ("ccb + cqn",
"members_start + joined - died"). The built-in rules (parts ≤ totals, the members'
balance, no negative figure) and the ones an administrator adds (`ValidationRule`) are
read the same way; `evaluate` returns one `Violation` per broken rule, with the figures
that broke it, so the page can say exactly what is wrong. Nothing here reads the database
except the figure catalogue.
"""

import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hoiccb.reports.figures import Figure, catalogue

OPERATORS: dict[str, tuple[Callable[[int, int], bool], str]] = {
    "<=": (operator.le, "≤"),
    "<": (operator.lt, "<"),
    "=": (operator.eq, "="),
    ">=": (operator.ge, "≥"),
    ">": (operator.gt, ">"),
}

MINUS_SIGN = "\u2212"  # "-", as typed from a Vietnamese keyboard or pasted from Word
Term = tuple[int, str | int]  # (+1 or -1, a figure code or a number)


def parse_side(text: str, known: set[str] | None = None) -> list[Term]:
    """Return the signed terms of one side; raises ValueError (in Vietnamese) on an unknown code."""
    known = known if known is not None else {f.code for f in catalogue()}
    # Codes may hold hyphens ("act_tuyen-truyen"): a minus is an operator only between spaces.
    text = text.replace(MINUS_SIGN, " - ")
    pieces = re.sub(r"\s*\+\s*|\s+-\s+", lambda m: f" {m.group().strip()} ", text).split()
    if not pieces:
        raise ValueError("Hãy ghi ít nhất một mã số liệu hoặc một số.")
    terms: list[Term] = []
    sign = 1
    expect_term = True
    for piece in pieces:
        if expect_term:
            if piece.isdigit():
                terms.append((sign, int(piece)))
            elif piece in known:
                terms.append((sign, piece))
            else:
                raise ValueError(f"Không có số liệu mã “{piece}”. Xem danh sách mã ở trang Quy tắc kiểm tra số liệu.")
            expect_term = False
        elif piece in "+-":
            sign = 1 if piece == "+" else -1
            expect_term = True
        else:
            raise ValueError(f"Giữa hai số liệu phải có dấu + hoặc -, gần “{piece}”.")
    if expect_term:
        raise ValueError("Vế kết thúc bằng dấu + hoặc -, còn thiếu một số liệu.")
    return terms


@dataclass(frozen=True)
class Rule:
    left: str
    op: str
    right: str
    message: str
    builtin: bool = True


@dataclass(frozen=True)
class Violation:
    rule: Rule
    left_value: int
    right_value: int
    codes: frozenset[str]  # the figures the rule reads, to mark on the form

    def __str__(self) -> str:
        left, right = (f"{n:,}".replace(",", ".") for n in (self.left_value, self.right_value))
        return f"{self.rule.message.rstrip('.')} (đang là {left} so với {right})."


def builtin_rules(figures: list[Figure] | None = None) -> list[Rule]:
    """Return the rules every report passes: parts ≤ totals and the members' balance."""
    figures = figures if figures is not None else catalogue()
    codes = {f.code for f in figures}
    activity_kinds = [f.code for f in figures if f.code.startswith("act_")]
    gift_sources = [f.code for f in figures if f.code.startswith("gift_") and f.code != "gift_value"]
    rules = [
        Rule(
            "ccb + cqn", "=", "members", "Số cựu chiến binh cộng số cựu quân nhân phải bằng tổng số hội viên cuối kỳ."
        ),
        Rule(
            "members_start + joined + moved_in - died - left - moved_out",
            "=",
            "members",
            "Hội viên cuối kỳ phải bằng đầu kỳ + kết nạp + chuyển đến - từ trần - thôi sinh hoạt - chuyển đi.",
        ),
        Rule(
            "age_lt60 + age_60 + age_70 + age_80 + age_unknown",
            "=",
            "members",
            "Cộng các nhóm tuổi (kể cả chưa rõ năm sinh) phải bằng tổng số hội viên cuối kỳ.",
        ),
        Rule("party", "<=", "members", "Số đảng viên không được lớn hơn tổng số hội viên."),
        Rule("women", "<=", "members", "Số hội viên nữ không được lớn hơn tổng số hội viên."),
        Rule("invalids", "<=", "members", "Số thương binh không được lớn hơn tổng số hội viên."),
        Rule("exemplary_members", "<=", "members", "Số hội viên CCB gương mẫu không được lớn hơn tổng số hội viên."),
        Rule(
            "rated_excellent",
            "<=",
            "rated_units",
            "Số đơn vị xếp loại cao nhất không được lớn hơn số đơn vị được xếp loại.",
        ),
        Rule(
            "awards_individual + awards_collective",
            "=",
            "awards",
            "Khen thưởng cá nhân cộng tập thể phải bằng tổng số khen thưởng.",
        ),
    ]
    if activity_kinds:
        rules.append(
            Rule(
                " + ".join(activity_kinds),
                "<=",
                "activities",
                "Cộng hoạt động các loại không được lớn hơn tổng số hoạt động.",
            )
        )
    if gift_sources:
        rules.append(
            Rule(
                " + ".join(gift_sources),
                "<=",
                "gift_value",
                "Cộng giá trị quà theo nguồn không được lớn hơn tổng giá trị quà.",
            )
        )
    # A rule naming a figure that no longer exists (a removed activity kind) is left out.
    return [r for r in rules if _readable(r, codes)]


def _readable(rule: Rule, codes: set[str]) -> bool:
    try:
        parse_side(rule.left, codes), parse_side(rule.right, codes)
    except ValueError:
        return False
    return True


def _value(terms: list[Term], values: dict[str, int]) -> int:
    return sum(sign * (term if isinstance(term, int) else values.get(term, 0) or 0) for sign, term in terms)


def evaluate(values: dict[str, int], rules: Iterable[Rule], figures: list[Figure] | None = None) -> list[Violation]:
    """Return the broken rules for these figures (negative figures first, one per figure)."""
    figures = figures if figures is not None else catalogue()
    known = {f.code for f in figures}
    out = [
        Violation(Rule(f.code, ">=", "0", f"“{f.label}” không được là số âm."), values[f.code], 0, frozenset({f.code}))
        for f in figures
        if (values.get(f.code) or 0) < 0
    ]
    for rule in rules:
        try:
            left, right = parse_side(rule.left, known), parse_side(rule.right, known)
        except ValueError:
            continue  # an administrator's rule whose figure was removed since: nothing to check
        lv, rv = _value(left, values), _value(right, values)
        if not OPERATORS[rule.op][0](lv, rv):
            codes = frozenset(t for _, t in (*left, *right) if isinstance(t, str))
            out.append(Violation(rule, lv, rv, codes))
    return out
