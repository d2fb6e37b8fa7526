"""Steps of the killed-worker test, run inside a fresh installation by `manage.py shell`."""

import json

from django_tasks_db.models import DBTaskResult

from hoiccb.accounts.models import Role, User
from hoiccb.members.imports import analysis, services
from hoiccb.members.models import Member, MemberImport
from hoiccb.members.tests.spreadsheets import csv_bytes
from hoiccb.org import services as org_services
from hoiccb.org.models import UnitKind

ROWS = [["Họ và tên", "Năm sinh"], ["Đỗ Văn Mới", "1960"], ["Đỗ Thị Hai", "1962"], ["Lê Văn Ba", "1958"]]


def prepare() -> None:
    """Build a small tree, preview an import of three members and queue its commit; print the import's id."""
    kinds = {k.code: k for k in UnitKind.objects.all()}
    province = org_services.unit_create(actor=None, parent=None, kind=kinds["tinh"], code="T", name="Hội CCB tỉnh")
    bloc = org_services.unit_create(actor=None, parent=province, kind=kinds["khoi"], code="K", name="Hội CCB Khối")
    unit = org_services.unit_create(actor=None, parent=bloc, kind=kinds["co-so"], code="A", name="Hội CCB Sở Tài chính")
    khoi = User.objects.create_user("khoi", password="mat-khau-thu-nghiem-2024", unit=bloc, role=Role.STANDING)
    batch = services.import_upload(actor=khoi, file_name="ds.csv", data=csv_bytes(ROWS), default_unit=unit)
    analysis.analyse(batch, khoi)
    services.start_job(actor=khoi, batch=batch, job="commit")
    print(batch.pk)


def retry(batch_id: int) -> None:
    batch = MemberImport.objects.get(pk=batch_id)
    services.start_job(actor=User.objects.get(username="khoi"), batch=batch, job="commit")


def status(batch_id: int) -> None:
    """Print the import's state and message, the members in the registry, and its jobs' outcomes."""
    batch = MemberImport.objects.get(pk=batch_id)
    jobs = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", "exception_class_path"))
    print(json.dumps({"state": batch.state, "message": batch.message, "members": Member.objects.count(), "jobs": jobs}))
