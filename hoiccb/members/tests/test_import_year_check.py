"""The import's quick check of a row's dates by their years alone (records._plainly_in_order)
must never pass a row the full check (validate_record) refuses."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from hoiccb.members.imports.records import _plainly_in_order, validation_errors

THIS_YEAR = datetime.date.today().year
YEARS = st.integers(min_value=1890, max_value=THIS_YEAR + 1)
DATES = st.one_of(
    st.none(),
    YEARS.map(str),
    st.tuples(YEARS, st.integers(1, 12)).map(lambda ym: f"{ym[0]}-{ym[1]:02d}"),
    st.tuples(YEARS, st.integers(1, 12), st.integers(1, 28)).map(lambda d: f"{d[0]}-{d[1]:02d}-{d[2]:02d}"),
)
KEYS = ("birth_date", "enlisted_on", "discharged_on", "joined_on", "party_joined_on")


@settings(max_examples=3000, deadline=None)
@given(
    dates=st.tuples(*[DATES] * len(KEYS)),
    rate=st.one_of(st.none(), st.integers(0, 120)),
    party=st.booleans(),
)
def test_the_quick_check_passes_only_rows_the_full_check_passes(dates, rate, party):
    values = {key: value for key, value in zip(KEYS, dates, strict=True) if value}
    values.update({"war_invalid_rate": rate, "party_member": party})
    if _plainly_in_order(values):
        assert validation_errors(values, 7) == []


def test_the_quick_check_lets_the_full_check_decide_the_close_cases():
    same_year = {"birth_date": "1950-06", "enlisted_on": "1950", "party_member": False}
    assert not _plainly_in_order(same_year)  # equal years: only the months can tell
    assert validation_errors({"birth_date": "1950-06", "enlisted_on": "1950-03"}, 4) != []
    usual = {"birth_date": "1950-06-05", "enlisted_on": "1968-02", "discharged_on": "1975", "party_member": False}
    assert _plainly_in_order(usual) and validation_errors(usual, 4) == []
