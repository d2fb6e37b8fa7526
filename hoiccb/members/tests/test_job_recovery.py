"""A worker killed in the middle of an import commit: the import never stays stuck."""

import datetime
import json
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hoiccb.lib import jobs
from hoiccb.lib.tests.installation import ROOT, fresh_installation, python
from hoiccb.members.imports import analysis, recovery, services
from hoiccb.members.models import ImportState, Member
from hoiccb.members.tests.spreadsheets import csv_bytes

SCENARIO = "from hoiccb.members.tests import worker_scenario as s; "


def _worker(env: dict[str, str], **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", "-v0"],
        cwd=ROOT,
        env={**env, **extra},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _status(env, batch_id) -> dict:
    return json.loads(python(env, SCENARIO + f"s.status({batch_id})").strip().splitlines()[-1])


def _wait_for(predicate, what: str, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"Timed out waiting for {what}")


def test_worker_killed_mid_commit_then_a_new_worker_recovers_and_retry_commits(tmp_path):
    # The fresh installation shares this test's cache folder (tmp_path/cache): the test
    # sees the commit's pause marker the worker writes there.
    with fresh_installation(tmp_path) as env:
        env.update(JOB_HEARTBEAT_SECONDS="0.5", JOB_WORKER_DEAD_AFTER_SECONDS="3", JOB_REAP_SECONDS="1")
        batch_id = int(python(env, SCENARIO + "s.prepare()").strip().splitlines()[-1])
        worker = _worker(env, IMPORT_COMMIT_TEST_PAUSE_SECONDS="300")
        try:
            _wait_for(lambda: cache.get(f"import-commit-paused:{batch_id}"), "the commit to reach its pause")
            worker.kill()  # SIGKILL: no handler runs, the transaction is left open
            worker.wait(30)
            stuck = _status(env, batch_id)
            assert stuck["state"] == ImportState.COMMITTING and stuck["members"] == 0
            assert stuck["jobs"][-1][0] == "RUNNING"

            worker = _worker(env)
            recovered = _wait_for(
                lambda: (s := _status(env, batch_id))["state"] != ImportState.COMMITTING and s, "the import to recover"
            )
            assert recovered["state"] == ImportState.READY
            assert "dừng đột ngột" in recovered["message"] and recovered["members"] == 0
            assert recovered["jobs"][-1] == ["FAILED", "hoiccb.lib.jobs.WorkerLost"]

            python(env, SCENARIO + f"s.retry({batch_id})")
            done = _wait_for(
                lambda: (s := _status(env, batch_id))["state"] == ImportState.COMMITTED and s, "the retried commit"
            )
            assert done["members"] == 3 and done["jobs"][-1][0] == "SUCCESSFUL"
        finally:
            worker.terminate()
            worker.wait(30)


@pytest.mark.django_db(transaction=True)
def test_progress_page_settles_an_import_whose_worker_died(cast, tree, login):
    khoi = cast["khoi"]
    rows = [["Họ và tên", "Năm sinh"], ["Đỗ Văn Mới", "1960"]]
    batch = services.import_upload(actor=khoi, file_name="ds.csv", data=csv_bytes(rows), default_unit=tree["branch_a"])
    analysis.analyse(batch, khoi)
    services.start_job(actor=khoi, batch=batch, job="commit")
    result = DBTaskResult.objects.get()
    result.claim("a-worker-that-died")
    client = login(khoi)
    # The worker beat a moment ago: the job is left alone.
    jobs.beat("a-worker-that-died")
    assert client.get(reverse("members:import_progress", args=[batch.pk])).status_code == 200
    batch.refresh_from_db()
    assert batch.state == ImportState.COMMITTING
    # Its last beat is older than JOB_WORKER_DEAD_AFTER_SECONDS: the page settles it.
    cache.set("worker-heartbeat:a-worker-that-died", time.time() - jobs.dead_after_seconds() - 1)
    response = client.get(reverse("members:import_progress", args=[batch.pk]))
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("members:import_detail", args=[batch.pk])
    batch.refresh_from_db()
    result.refresh_from_db()
    assert batch.state == ImportState.READY and "dừng đột ngột" in batch.message
    assert result.status == "FAILED" and Member.objects.filter(ten="Mới").count() == 0
    page = client.get(reverse("members:import_detail", args=[batch.pk])).content.decode()
    assert "dừng đột ngột" in page and "Xác nhận nhập 1 dòng" in page and "Bỏ lần nhập này" in page

    # Abandon: the import is closed with a message; another unit's chair cannot.
    other = login(cast["coso2"]).post(reverse("members:import_abandon", args=[batch.pk]))
    assert other.status_code == 404
    client = login(khoi)
    client.post(reverse("members:import_abandon", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.state == ImportState.FAILED and batch.message == recovery.ABANDONED
    assert "Bỏ lần nhập này" not in client.get(reverse("members:import_detail", args=[batch.pk])).content.decode()


@pytest.mark.django_db
def test_reap_jobs_command_leaves_a_job_of_a_live_worker(cast, tree):
    from django.core.management import call_command

    khoi = cast["khoi"]
    batch = services.import_upload(
        actor=khoi, file_name="ds.csv", data=csv_bytes([["Họ và tên"], ["Đỗ Văn Mới"]]), default_unit=tree["branch_a"]
    )
    services.start_job(actor=khoi, batch=batch, job="analyse")
    # on_commit does not run inside the test's transaction: queue the job by hand.
    from hoiccb.members.imports import tasks

    tasks.analyse_import.enqueue(batch_id=batch.pk, actor_id=khoi.pk)
    result = DBTaskResult.objects.get()
    result.claim("alive")
    jobs.beat("alive")
    call_command("reap_jobs", verbosity=0)
    batch.refresh_from_db()
    assert batch.state == ImportState.ANALYSING
    cache.delete("worker-heartbeat:alive")
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    call_command("reap_jobs", verbosity=0)
    batch.refresh_from_db()
    assert batch.state == ImportState.FAILED and "đọc lại tệp" in batch.message
