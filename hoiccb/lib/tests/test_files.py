"""The one check of what an uploaded file really is."""

import io
import struct
import zipfile
import zlib
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from hoiccb.lib import files
from hoiccb.lib.files import sniff
from hoiccb.lib.tests import hostile
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


# --- The guard ---------------------------------------------------------------------------------

BROAD = files.PHOTOS | files.DOCUMENTS | {"xlsx", "xls", "txt"}


def guard(data: bytes, name: str = "tep", accept=BROAD, max_bytes: int = 20 * 1024 * 1024) -> files.Checked:
    return files.guard_bytes(data, name=name, accept=accept, max_bytes=max_bytes)


@pytest.mark.parametrize("name,build,words", hostile.CORPUS, ids=[c[0] for c in hostile.CORPUS])
def test_the_hostile_corpus_is_refused_with_a_vietnamese_message(name, build, words):
    with pytest.raises(ValidationError) as refused:
        guard(build(), name)
    message = refused.value.messages[0]
    assert f"“{name}”" in message and words in message, message


def test_a_photo_loses_its_gps_and_camera_tags_and_stands_upright():
    sent = hostile.jpeg_with_gps(640, 480, orientation=6)
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(0x8825)  # the position is really there
    checked = guard(sent, "IMG_0001.JPG")
    assert (checked.kind, checked.content_type, checked.name) == ("jpeg", "image/jpeg", "IMG_0001.JPG")
    stored = checked.file.read()
    for secret in (b"SecretModel", b"CameraMaker", b"secret comment", b"Exif"):
        assert secret not in stored
    picture = Image.open(io.BytesIO(stored))
    assert not picture.getexif() and "exif" not in picture.info
    # Orientation 6 means "turn 90° clockwise": the red top half is now on the right.
    assert picture.size == (480, 640) == (checked.width, checked.height)
    red, blue = cast(tuple, picture.getpixel((400, 320))), cast(tuple, picture.getpixel((80, 320)))
    assert red[0] > 150 > red[2] and blue[2] > 150 > blue[0]


def test_a_large_photo_is_scaled_down_and_a_png_stays_a_png():
    checked = guard(hostile.photo(3000, 2000, "PNG"), "so-do.png")
    assert (checked.kind, checked.width, checked.height) == ("png", 1600, 1067)
    assert checked.file.read().startswith(b"\x89PNG")


def test_what_hides_behind_a_picture_does_not_survive_the_re_encoding():
    checked = guard(hostile.png_with_payload(), "anh.png")
    stored = checked.file.read()
    assert b"<script" not in stored and b"PK\x03\x04" not in stored
    assert Image.open(io.BytesIO(stored)).size == (64, 48)


def test_documents_keep_their_bytes_and_get_their_real_extension():
    checked = guard(hostile.pdf(), "Báo cáo quý I.PDF")
    assert (checked.kind, checked.name, checked.file.read()) == ("pdf", "Báo cáo quý I.PDF", hostile.pdf())
    assert guard(hostile.docx(), "to-trinh.pdf").name == "to-trinh.docx"  # the content decides
    assert guard(hostile.pdf(), "../../etc/passwd").name == "passwd.pdf"
    assert guard(hostile.pdf(), "a\u200bb\u202e.pdf").name == "ab.pdf"


def test_legacy_office_files_are_told_from_encrypted_ones():
    assert guard(hostile.word97(), "cu.doc").kind == "doc"
    assert guard(hostile.excel97(), "cu.xls").kind == "xls"
    assert guard(xlsx_bytes([["Họ tên"], ["Nguyễn Văn Hùng"]]), "ds.xlsx").kind == "xlsx"
    for data in (hostile.excel97(encrypted=True), hostile.encrypted_office(), hostile.zip_encrypted()):
        with pytest.raises(ValidationError, match="gỡ mật khẩu"):
            guard(data, "mat-khau.xlsx")


def test_an_accepted_kind_list_is_enforced_and_named():
    with pytest.raises(ValidationError) as refused:
        guard(hostile.photo(), "anh.pdf", accept=files.DOCUMENTS)
    assert refused.value.messages == [
        "Tệp “anh.pdf” không phải PDF, Word (.docx) hoặc Word 97–2003 (.doc) "
        "(kiểm tra theo nội dung tệp, không theo tên đuôi)."
    ]
    with pytest.raises(ValidationError, match="quá lớn"):
        guard(hostile.pdf(), "lon.pdf", max_bytes=100)


def test_plain_text_is_text_only_when_it_says_so_and_holds_no_markup():
    assert guard("Dự thảo báo cáo".encode(), "du-thao.txt").content_type == "text/plain; charset=utf-8"
    for data, name in ((b"Du thao", "du-thao.pdf"), (hostile.HTML, "trang.txt"), (b"MZ\x90\x00\x03", "x.txt")):
        with pytest.raises(ValidationError, match="không phải"):
            guard(data, name)


def test_a_parse_past_the_memory_limit_is_refused_and_this_process_lives_on(settings):
    # An honest 49-megapixel RGB PNG (about 200 MB decoded, 150 KB on disk) against a 16 MB limit.
    settings.UNTRUSTED_PARSE_MEMORY_BYTES = 16 * 1024 * 1024
    side = 7000
    compressor = zlib.compressobj(9)
    row = b"\x00" * (3 * side + 1)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + hostile._png_chunk(b"IHDR", header)
        + hostile._png_chunk(b"IDAT", data)
        + hostile._png_chunk(b"IEND", b"")
    )
    with pytest.raises(ValidationError, match="quá nhiều bộ nhớ"):
        guard(png, "lon.png")
    settings.UNTRUSTED_PARSE_MEMORY_BYTES = 512 * 1024 * 1024
    assert guard(png, "lon.png").width == 1600  # the same file within the normal limit


def test_served_uploads_carry_their_real_type_and_nosniff():
    response = files.serve_upload(io.BytesIO(b"<html>"), stored_name="a/b/x.html", filename="x.html", inline=True)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Disposition"].startswith("attachment")
    response = files.serve_upload(io.BytesIO(b""), stored_name="a/b/x.jpg", filename="anh.jpg", inline=True)
    assert response["Content-Type"] == "image/jpeg" and "attachment" not in response["Content-Disposition"]
    response = files.serve_upload(io.BytesIO(b""), stored_name="a/b/x.pdf", filename="bc.pdf", inline=True)
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("attachment")
