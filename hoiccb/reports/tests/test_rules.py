"""Each validation rule, an administrator's own rule, and what the clerk sees on the form."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.members import services as member_services
from hoiccb.org import services as org_services
from hoiccb.reports import figures, rules, selectors, services
from hoiccb.reports.figures import catalogue
from hoiccb.reports.models import ReportState, ValidationRule


@pytest.fixture
def consistent(db):
    """Figures of a unit that add up: 8 at the start, 3 joined, 1 died, 10 at the end."""
    values = dict.fromkeys((f.code for f in catalogue()), 0)
    values.update(
        members_start=8, joined=3, died=1, members=10, ccb=7, cqn=3, party=4, women=1, invalids=2, age_70=6, age_80=4
    )
    values.update(exemplary_members=5, rated_units=1, rated_excellent=1, awards=3, awards_individual=2)
    values.update(awards_collective=1, activities=4, **{"act_tuyen-truyen": 1, "act_an-sinh": 3})
    values.update(gift_value=500_000, gift_quy_hoi=300_000, gift_co_quan=200_000)
    return values


def broken(values: dict) -> list[str]:
    return [v.rule.message for v in rules.evaluate(values, selectors.rules())]


def test_consistent_figures_break_no_rule(consistent):
    assert broken(consistent) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"members": 11, "members_start": 9, "age_80": 5},
            "Số cựu chiến binh cộng số cựu quân nhân phải bằng tổng số hội viên cuối kỳ.",
        ),
        ({"cqn": 4}, "Số cựu chiến binh cộng số cựu quân nhân phải bằng tổng số hội viên cuối kỳ."),
        (
            {"died": 2},
            "Hội viên cuối kỳ phải bằng đầu kỳ + kết nạp + chuyển đến - từ trần - thôi sinh hoạt - chuyển đi.",
        ),
        (
            {"moved_in": 1},
            "Hội viên cuối kỳ phải bằng đầu kỳ + kết nạp + chuyển đến - từ trần - thôi sinh hoạt - chuyển đi.",
        ),
        ({"age_80": 3}, "Cộng các nhóm tuổi (kể cả chưa rõ năm sinh) phải bằng tổng số hội viên cuối kỳ."),
        ({"party": 11}, "Số đảng viên không được lớn hơn tổng số hội viên."),
        ({"women": 11}, "Số hội viên nữ không được lớn hơn tổng số hội viên."),
        ({"invalids": 11}, "Số thương binh không được lớn hơn tổng số hội viên."),
        ({"exemplary_members": 11}, "Số hội viên CCB gương mẫu không được lớn hơn tổng số hội viên."),
        ({"rated_excellent": 2}, "Số đơn vị xếp loại cao nhất không được lớn hơn số đơn vị được xếp loại."),
        ({"awards_individual": 3}, "Khen thưởng cá nhân cộng tập thể phải bằng tổng số khen thưởng."),
        ({"act_an-sinh": 4}, "Cộng hoạt động các loại không được lớn hơn tổng số hoạt động."),
        ({"gift_khac": 1}, "Cộng giá trị quà theo nguồn không được lớn hơn tổng giá trị quà."),
    ],
)
def test_each_builtin_rule_catches_its_own_contradiction(consistent, change, message):
    assert broken({**consistent, **change}) == [message]


def test_a_negative_figure_is_named(consistent):
    # Lower both sides of the balance so that only the sign is wrong.
    found = rules.evaluate({**consistent, "left": -1, "members_start": 7}, selectors.rules())
    assert [str(v) for v in found] == ["“Thôi sinh hoạt” không được là số âm (đang là -1 so với 0)."]


def test_an_administrators_rule_with_hyphenated_codes_and_a_typed_minus_sign(consistent):
    rule = ValidationRule(
        left="act_tuyen-truyen + act_an-sinh \u2212 1",  # a minus sign pasted from Word
        operator=">=",
        right="4",
        message="Mỗi Hội phải có ít nhất 5 hoạt động tuyên truyền và an sinh.",
    )
    rule.full_clean()
    rule.save()
    found = rules.evaluate(consistent, selectors.rules())
    assert [str(v) for v in found] == [
        "Mỗi Hội phải có ít nhất 5 hoạt động tuyên truyền và an sinh (đang là 3 so với 4)."
    ]
    rule.active = False
    rule.save()
    assert broken(consistent) == []


@pytest.mark.parametrize(
    ("left", "error"),
    [
        ("membres", "Không có số liệu mã “membres”"),
        ("ccb +", "còn thiếu một số liệu"),
        ("ccb cqn", "phải có dấu + hoặc -"),
        ("", "ít nhất một mã"),
    ],
)
def test_an_administrators_rule_with_a_typo_is_refused_in_vietnamese(db, left, error):
    rule = ValidationRule(left=left, operator="<=", right="members", message="x")
    with pytest.raises(ValidationError) as caught:
        rule.full_clean()
    assert error in " ".join(caught.value.message_dict["left"])


def test_broken_figures_save_with_a_warning_and_block_submission(staffed, tree, period, login):
    chair = staffed["coso1"]
    report = services.report_open(actor=chair, period=period, unit=tree["unit_a"])
    client = login(chair)
    data = {"version": report.version, "plan": "Kế hoạch", "f_members": "500"}
    response = client.post(reverse("reports:edit", args=[report.pk]), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:edit", args=[report.pk])
    page = response.content.decode()
    assert "Đã lưu, nhưng số liệu chưa khớp (3 lỗi)" in page
    assert "Số cựu chiến binh cộng số cựu quân nhân phải bằng tổng số hội viên cuối kỳ (đang là 3 so với 500)." in page
    assert page.count('class="table-danger"') >= 8  # members, ccb, cqn, the balance, the age bands
    response = client.post(reverse("reports:submit", args=[report.pk]), follow=True)
    assert "Số liệu chưa khớp, chưa nộp được" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.value("members") == 500
    # Back to the computed figure: the report goes up.
    client.post(reverse("reports:edit", args=[report.pk]), {"version": report.version, "plan": "Kế hoạch"})
    client.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_rules_page_lists_builtin_and_added_rules_with_the_codes(staffed, login):
    ValidationRule.objects.create(left="party", operator="<=", right="ccb", message="Đảng viên đều là CCB.")
    page = login(staffed["coso1"]).get(reverse("reports:rules")).content.decode()
    assert "ccb + cqn = members" in page and "Đảng viên đều là CCB." in page and "quản trị thêm" in page
    assert "<code>members_start</code>" in page


# --- The figures the system computes pass the rules ------------------------------------------

FATES = st.sampled_from(["moved", "moved", "left", "died", "out"])
DAYS = st.dates(min_value=datetime.date(2023, 6, 1), max_value=datetime.date(2025, 6, 30))
# Each person joins, then goes through up to three changes (each some days after the last):
# moves across the three units, and perhaps an end (leaving, death, moving out of the system).
PEOPLE = st.lists(
    st.tuples(
        DAYS,
        st.lists(st.tuples(FATES, st.integers(min_value=0, max_value=200)), max_size=3),
        st.booleans(),
        st.sampled_from([None, 1950, 1970]),
    ),
    min_size=1,
    max_size=6,
)
_made = itertools.count()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=PEOPLE)
def test_computed_figures_break_no_builtin_rule(cast, tree, kinds, period, people):
    """Whatever happens to members around the period (join, move once or twice, then leave, die or
    move out), the figures computed for each unit and for all together add up: the rules blame only typing."""
    actor, n = cast["khoi"], next(_made)
    units = [
        org_services.unit_create(
            actor=None, parent=tree["bloc"], kind=kinds["co-so"], code=f"H{n}{s}", name=f"Hội {s}{n}"
        )
        for s in "XYZ"
    ]
    for i, (joined, changes, veteran, born) in enumerate(people):
        member = admit(
            actor,
            units[0],
            f"Nguyễn Văn Thử{i}",
            joined_on=PartialDate(joined.year, joined.month, joined.day),
            kind="ccb" if veteran else "cqn",
            birth_date=PartialDate(born) if born else None,
        )
        on, at = joined, 0
        for fate, later in changes:
            on += datetime.timedelta(days=later)
            if fate == "moved":
                at = (at + 1) % len(units)
                member = member_services.member_transfer(actor=actor, member=member, to_unit=units[at], on=on)
                continue
            if fate == "left":
                member_services.member_leave(actor=actor, member=member, on=on, reason="Chuyển nơi ở")
            elif fate == "died":
                member_services.member_record_death(
                    actor=actor, member=member, died_on=PartialDate(on.year, on.month, on.day)
                )
            else:
                member_services.member_transfer_out(actor=actor, member=member, on=on, destination="Hội CCB phường")
            break
    computed = figures.compute(units, period.start, period.end)
    computed[tree["bloc"].pk] = figures.compute([tree["bloc"]], period.start, period.end)[tree["bloc"].pk]
    # One unit alone (moves to and from its siblings are then moves across its edge) adds up too.
    computed[0] = figures.compute(units[1:2], period.start, period.end)[units[1].pk]
    for values in computed.values():
        assert [str(v) for v in rules.evaluate(values, rules.builtin_rules())] == []
