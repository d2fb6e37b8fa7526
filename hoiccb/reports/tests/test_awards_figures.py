"""Ratings and awards in a report come from the awards module; a unit's correction stays beside them."""

import datetime

import pytest

from hoiccb.awards.history import services as history_services
from hoiccb.awards.tests.conftest import forms, movement, people, rated, round_  # noqa: F401  (fixtures)
from hoiccb.awards.tests.test_flow import full_round
from hoiccb.reports import services
from hoiccb.reports.tests.conftest import write_and_submit

CODES = ("rated_units", "rated_excellent", "exemplary_members", "awards", "awards_individual", "awards_collective")


@pytest.fixture
def awarded(round_, cast, tree, people, forms):  # noqa: F811
    """Worked by hand:
    - 2024 ratings: unit A 85 points (top band "xuất sắc"), unit B 75; all four members CCB gương mẫu;
    - decision of 05/06/2024: Giấy khen to Hùng (branch of A), Ân (A) and Hải (B);
    - entered by hand, known by year only: a Cờ thi đua (collective) to B for 2024, one to A for 2023.
    """
    full_round(round_, cast, tree, people, forms)
    for unit, year in ((tree["unit_b"], 2024), (tree["unit_a"], 2023)):
        history_services.award_record_add(
            actor=cast["khoi"], form=forms["co-thi-dua"], year=year, unit=unit, decision_text="5/QĐ-UBND"
        )
    return cast


def figures_of(report) -> dict[str, int]:
    return {code: report.computed.get(code) for code in CODES}


def test_reports_count_ratings_and_awards_of_the_period(awarded, tree, period, kinds):
    chair = awarded["coso1"]
    a = services.report_open(actor=chair, period=period, unit=tree["unit_a"])
    assert figures_of(a) == {
        "rated_units": 1,
        "rated_excellent": 1,
        "exemplary_members": 3,
        "awards": 2,
        "awards_individual": 2,
        "awards_collective": 0,
    }
    b = services.report_open(actor=awarded["coso2"], period=period, unit=tree["unit_b"])
    # B's Cờ thi đua of 2024 has no date: it belongs to the period holding 31/12/2024, not to the first half.
    assert figures_of(b) == {
        "rated_units": 1,
        "rated_excellent": 0,
        "exemplary_members": 1,
        "awards": 1,
        "awards_individual": 1,
        "awards_collective": 0,
    }
    year = services.period_create(
        actor=awarded["khoi"],
        kind="year",
        name="Năm 2024",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2024, 12, 31),
        title="Tổng kết năm 2024",
        deadline=datetime.date(2025, 1, 15),
    )
    b_year = services.report_open(actor=awarded["coso2"], period=year, unit=tree["unit_b"])
    assert b_year.computed["awards"] == 2 and b_year.computed["awards_collective"] == 1
    # A hand correction stays beside the computed figure, and the roll-up sums what was reported.
    a = services.report_update(
        actor=chair, report=a, expected_version=a.version, header={}, texts={}, edited={"exemplary_members": 2}
    )
    assert a.value("exemplary_members") == 2 and a.computed["exemplary_members"] == 3
    services.report_accept(actor=awarded["khoi"], report=write_and_submit(chair, a))
    services.report_accept(actor=awarded["khoi"], report=write_and_submit(awarded["coso2"], b))
    bloc = services.report_open(actor=awarded["khoi"], period=period, unit=tree["bloc"])
    assert figures_of(bloc) == {
        "rated_units": 2,
        "rated_excellent": 1,
        "exemplary_members": 3,
        "awards": 3,
        "awards_individual": 3,
        "awards_collective": 0,
    }
