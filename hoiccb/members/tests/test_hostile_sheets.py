"""Hostile spreadsheets posted to the three imports (members, award history, units).

Each file is refused with a Vietnamese message, never a 500; nothing is written; this
process lives on and its peak memory hardly moves (the parse runs in a limited child).
"""

import re
import resource

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.awards.models import AwardImport, AwardRecord
from hoiccb.lib.sheets.reading import read_upload
from hoiccb.members.models import Member, MemberImport
from hoiccb.members.tests.spreadsheets import (
    dimension_bomb_xlsx,
    encrypted_zip_xlsx,
    entity_bomb_xlsx,
    truncated_xlsx,
    xlsx_bytes,
    zip_bomb_xlsx,
)
from hoiccb.org.models import Unit

# The award-history form checks the real kind first: a zip that is no xlsx may stop there.
NOT_XLSX = "|không phải là tệp .xlsx thật"
HOSTILE = {
    "dimension bomb": ("ds.xlsx", dimension_bomb_xlsx(), "quá nhiều bộ nhớ"),
    "in-limits dimension": ("ds.xlsx", dimension_bomb_xlsx("A1:OJ200099"), "quá nhiều bộ nhớ"),
    "zip bomb": ("ds.xlsx", zip_bomb_xlsx(), "Tệp nén bất thường" + NOT_XLSX),
    "encrypted zip": ("ds.xlsx", encrypted_zip_xlsx(), "mật khẩu" + NOT_XLSX),
    "encrypted OLE": ("ds.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "mật khẩu" + NOT_XLSX),
    "truncated": ("ds.xlsx", truncated_xlsx(), "hỏng" + NOT_XLSX),
    "csv with NUL": ("ds.csv", "Họ và tên,Năm sinh\nNguyễn Văn Hùng,1950\x00\x00\n".encode(), "nhị phân"),
    "entity bomb": ("ds.xlsx", entity_bomb_xlsx(), "hỏng" + NOT_XLSX),
}
ENDPOINTS = {
    "members": ("/hoi-vien/nhap/", "khoi"),
    "award history": ("/thi-dua/nhap-lich-su/", "coso1"),
    "units": ("/don-vi/nhap/", "khoi"),
}


def _written() -> tuple:
    return (
        Member.objects.count(),
        MemberImport.objects.count(),
        AwardImport.objects.count(),
        AwardRecord.objects.count(),
        Unit.objects.count(),
    )


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_hostile_spreadsheets_are_refused_at_every_import(client, cast, tree, endpoint):
    url, user = ENDPOINTS[endpoint]
    client.force_login(cast[user])
    before = _written()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    for label, (name, data, message) in HOSTILE.items():
        response = client.post(url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 200, label
        assert re.search(message, response.content.decode()), label
    growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert growth_mb < 200, f"peak RSS grew by {growth_mb:.0f} MB"
    assert _written() == before
    # The process is alive and reads a good file at once.
    good = read_upload("ds.xlsx", xlsx_bytes([["Họ và tên"], ["Nguyễn Văn Hùng"]]))
    assert good.rows[1] == ["Nguyễn Văn Hùng"]
