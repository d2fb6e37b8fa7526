"""Backup, then restore into a fresh database and media folder: everything comes back."""

import hashlib
import json
import subprocess
import sys
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from hoiccb.activities import services as activity_services
from hoiccb.activities.models import ActivityKind
from hoiccb.activities.tests.conftest import make_activity, png_bytes
from hoiccb.conftest import ensure_reference_data
from hoiccb.lib import backup
from hoiccb.lib.tests.installation import ROOT, fresh_installation, manage, python

READ_BACK = """
import hashlib, json
from django.test import Client
from hoiccb.accounts.models import User
from hoiccb.lib.backup import table_counts
counts = table_counts()  # before the login below adds a session
client = Client()
client.force_login(User.objects.get(username="coso2"))
response = client.get("/hoat-dong/tep/{pk}/")
body = b"".join(response.streaming_content)
print(json.dumps({{"counts": counts, "status": response.status_code, "sha": hashlib.sha256(body).hexdigest()}}))
"""


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_installation(cast, tree, members, tmp_path):
    if not ActivityKind.objects.exists():
        ensure_reference_data()
    kind = ActivityKind.objects.get(code="tuyen-truyen")
    activity = make_activity(cast["coso2"], tree["unit_b"], kind, title="Kỷ niệm 94 năm ngày thành lập Đảng")
    photo = png_bytes(40, 30)
    attachment = activity_services.attachment_add(
        actor=cast["coso2"], activity=activity, upload=SimpleUploadedFile("mit-tinh.png", photo), caption="Mít tinh"
    )
    with attachment.file.open("rb") as stored_file:
        stored = stored_file.read()  # photos are re-encoded on upload: compare with what was stored
    archive = tmp_path / "sao-luu" / "hoiccb.tar.gz"
    call_command("backup", output=archive, stdout=open("/dev/null", "w"))  # noqa: SIM115
    expected = backup.table_counts()
    assert expected["members_member"] == 3 and expected["activities_attachment"] == 1

    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = backup.read_manifest(opened)
    assert manifest["vendor"] == connection.vendor and manifest["counts"] == expected
    assert manifest["media_files"] == 1 and f"media/{attachment.file.name}" in names
    assert ["members", "0001_initial"] in manifest["migrations"]

    with fresh_installation(tmp_path / "restored", migrate=False) as env:
        out = manage(env, "restore", str(archive)).stdout
        assert "khớp bản sao lưu" in out
        restored = json.loads(python(env, READ_BACK.format(pk=attachment.pk)).strip().splitlines()[-1])
        assert restored["counts"] == expected
        assert restored["status"] == 200 and restored["sha"] == hashlib.sha256(stored).hexdigest()

        # A second restore into the now used installation is refused, with the reason.
        again = subprocess.run(
            [sys.executable, "manage.py", "restore", str(archive)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert again.returncode != 0 and "CSDL đích đã có dữ liệu" in again.stderr


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bogus = tmp_path / "khong-phai.tar.gz"
    with tarfile.open(bogus, "w:gz"):
        pass
    with pytest.raises(backup.BackupError, match=r"thiếu manifest\.json"):
        backup.restore(bogus)
    with pytest.raises(backup.BackupError, match="Không mở được"):
        backup.restore(tmp_path / "khong-co.tar.gz")
