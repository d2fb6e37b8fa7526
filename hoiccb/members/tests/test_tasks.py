import pytest
from django.core.management import call_command

from hoiccb.members.models import Member


# The worker checks connections between tasks (close_old_connections), which closes one
# left inside a test's transaction; so this test runs in autocommit like production.
@pytest.mark.django_db(transaction=True)
def test_rebuild_keys_through_the_background_worker(members):
    # Simulate rows whose derived columns went stale (e.g. written around the services).
    Member.objects.update(search_text="", sort_key=b"")
    call_command("rebuild_member_keys", background=True)
    assert not Member.objects.filter(search_text__contains="hung").exists()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    hung = Member.objects.get(pk=members["hung"].pk)
    assert hung.search_text == "nguyen van hung yb001"
    ordered = list(Member.objects.order_by("sort_key").values_list("ten", flat=True))
    assert ordered == ["Ân", "Hùng", "Hưng"]


def test_rebuild_keys_touches_nothing_when_up_to_date(members, capsys):
    call_command("rebuild_member_keys")
    assert "Đã cập nhật 0 hội viên." in capsys.readouterr().out
