"""The unit tree in bulk from a sheet with parent codes."""

from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.members.tests.spreadsheets import xlsx_bytes
from hoiccb.org.models import Unit

HEAD = ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên", "Cơ quan, doanh nghiệp"]


def post_sheet(client, rows):
    upload = SimpleUploadedFile("don-vi.xlsx", xlsx_bytes([HEAD, *rows]))
    return client.post("/don-vi/nhap/", {"file": upload})


def test_sheet_creates_units_parents_first(client, cast, tree):
    client.force_login(cast["khoi"])
    rows = [
        ["C1", "Chi hội 1 Sở Xây dựng", "Chi hội", "XD", ""],  # its parent is further down the sheet
        ["XD", "Hội CCB Sở Xây dựng", "Hội cơ sở", "K", "Sở Xây dựng"],
        ["A", "Hội CCB Sở Tài chính", "Hội cơ sở", "K", ""],  # already in the tree: kept as it is
    ]
    page = post_sheet(client, rows).content.decode()
    assert page.count("Sẽ tạo mới") == 2 and "Đã có — giữ nguyên" in page
    assert not Unit.objects.filter(code="XD").exists()  # nothing before the confirmation
    stored = page.split('name="tep" value="')[1].split('"')[0]
    response = client.post("/don-vi/nhap/", {"tep": stored})
    assert response.status_code == 302
    xd = Unit.objects.get(code="XD")
    assert xd.parent == tree["bloc"] and xd.host_organisation == "Sở Xây dựng"
    assert Unit.objects.get(code="C1").parent == xd


def test_errors_and_scope_write_nothing(client, cast, tree):
    client.force_login(cast["coso1"])
    rows = [
        ["X1", "Chi hội 2 Sở Tài chính", "Chi hội", "A", ""],
        ["X2", "Chi hội Sở Y tế", "Chi hội", "B", ""],  # Sở Y tế is outside the chair's subtree
        ["X3", "Không rõ cấp", "Cấp lạ", "A", ""],
        ["X1", "Trùng mã", "Chi hội", "A", ""],
    ]
    page = post_sheet(client, rows).content.decode()
    assert "đơn vị cấp trên “B” không có trong phạm vi của bạn" in page
    assert "không hiểu cấp “Cấp lạ”" in page
    assert "mã “X1” trùng với dòng 2" in page
    assert "Xác nhận tạo" not in page
    assert not Unit.objects.filter(code__startswith="X").exists()


def test_level_rules_apply(client, cast, tree):
    client.force_login(cast["khoi"])
    page = post_sheet(client, [["Z", "Hội cơ sở dưới chi hội", "Hội cơ sở", "A1", ""]]).content.decode()
    stored = page.split('name="tep" value="')[1].split('"')[0]
    page = client.post("/don-vi/nhap/", {"tep": stored}).content.decode()
    assert "Dòng 2:" in page and not Unit.objects.filter(code="Z").exists()


def test_legacy_encoded_names_are_read_cell_by_cell(client, cast, tree):
    """A sheet typed in TCVN3 with one unit added later in Unicode: both names exact."""
    import subprocess

    def tcvn3(text):
        out = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(), capture_output=True)
        return out.stdout.decode("latin-1")

    client.force_login(cast["khoi"])
    rows = [
        ["XD", tcvn3("Hội CCB Sở Xây dựng"), tcvn3("Hội cơ sở"), "K", ""],
        ["TN", "Hội CCB Sở Tài nguyên và Môi trường", "Hội cơ sở", "K", ""],
    ]
    page = post_sheet(client, rows).content.decode()
    stored = page.split('name="tep" value="')[1].split('"')[0]
    client.post("/don-vi/nhap/", {"tep": stored})
    assert Unit.objects.get(code="XD").name == "Hội CCB Sở Xây dựng"
    assert Unit.objects.get(code="TN").name == "Hội CCB Sở Tài nguyên và Môi trường"
