"""The one check of what an uploaded file really is."""

import io
import zipfile

import pytest

from hoiccb.lib.files import sniff
from hoiccb.members.tests.spreadsheets import xlsx_bytes


def zip_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data,kind",
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xff\xd8\xff\xe0rest", "jpeg"),
        (b"\x89PNG\r\n\x1a\nrest", "png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, "doc"),
        (zip_with("[Content_Types].xml", "word/document.xml"), "docx"),
        (xlsx_bytes([["a"]]), "xlsx"),
        (zip_with("readme.txt"), None),  # a zip is not a Word file because it is called .docx
        (b"PK\x03\x04 truncated", None),
        (b"MZ\x90\x00 an executable", None),
        (b"", None),
    ],
)
def test_sniff_reads_the_bytes(data, kind):
    assert sniff(data) == kind
    upload = io.BytesIO(data)
    upload.read(3)
    assert sniff(upload) == kind and upload.tell() == 0  # a file is left at its start
