from hypothesis import given
from hypothesis import strategies as st

from hoiccb.org.paths import ALPHABET, STEP_LENGTH, decode_step, encode_step, successor

step = st.integers(min_value=1, max_value=len(ALPHABET) ** STEP_LENGTH - 1)
path = st.lists(step, min_size=1, max_size=5).map(lambda steps: "".join(encode_step(s) for s in steps))


@given(step)
def test_steps_round_trip(number):
    assert decode_step(encode_step(number)) == number


@given(path, path)
def test_successor_bounds_exactly_the_subtree(prefix, other):
    upper = successor(prefix)
    in_range = other >= prefix and (upper is None or other < upper)
    assert in_range == other.startswith(prefix)


@given(path, path)
def test_step_order_matches_number_order(a, b):
    # Fixed-width steps make text order equal tree order at each level.
    if len(a) == len(b) == STEP_LENGTH:
        assert (a < b) == (decode_step(a) < decode_step(b))
