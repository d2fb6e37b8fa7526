import os
import time

import pytest

from hoiccb.lib.sandbox import ChildError, LimitExceeded, run_limited


def _double(values):
    return [v * 2 for v in values]


def _allocate(megabytes):
    blob = bytearray(megabytes * 1024 * 1024)
    return len(blob)


def _spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "done"


def _raise():
    raise ValueError("hỏng", 3)


def _abort():
    os.abort()


def test_result_comes_back():
    assert run_limited(_double, [1, 2, 3]) == [2, 4, 6]


def test_large_result_does_not_deadlock():
    assert len(run_limited(_double, list(range(300_000)))) == 300_000


def test_memory_over_the_limit_is_refused_and_parent_lives():
    with pytest.raises(LimitExceeded) as caught:
        run_limited(_allocate, 400, memory_bytes=64 * 1024 * 1024)
    assert caught.value.reason == "memory"
    # Within the limit the same call works: the limit is relative to the parent's size.
    assert run_limited(_allocate, 16, memory_bytes=64 * 1024 * 1024) == 16 * 1024 * 1024


def test_time_over_the_limit_is_refused():
    with pytest.raises(LimitExceeded) as caught:
        run_limited(_spin, 10, seconds=1)
    assert caught.value.reason == "time"


def test_exception_in_child_is_reported():
    with pytest.raises(ChildError) as caught:
        run_limited(_raise)
    assert caught.value.kind == "ValueError"
    assert caught.value.message == "('hỏng', 3)"


def test_abort_in_child_is_reported():
    with pytest.raises(LimitExceeded):
        run_limited(_abort)
