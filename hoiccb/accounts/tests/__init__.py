import pytest

# The no-leaks walk's helper modules assert the way tests do: pytest explains their failures too.
pytest.register_assert_rewrite("hoiccb.accounts.tests.leaks_walk", "hoiccb.accounts.tests.leaks_world")
