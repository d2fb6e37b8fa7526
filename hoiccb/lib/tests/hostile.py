"""Hostile files, built in the test: what a careless or malicious sender can upload.

Each builder is cheap (no file here is built by holding its unpacked size in memory) and
cached, so a test module can post the whole corpus to every upload page.
"""

import functools
import io
import struct
import zipfile
import zlib
from collections.abc import Callable

from PIL import Image

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int, *, full: bool = True) -> bytes:
    """Return an RGB PNG of width × height black pixels; `full=False` leaves out nearly all the data.

    The full one is a real decompression bomb: 10,000 × 10,000 is 300 KB on disk and 300 MB
    (400 MB in Pillow) once decoded. Its rows are deflated a hundred at a time with a full
    flush, so one compressed block is built once and repeated.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    if full:
        row = b"\x00" * (3 * width + 1)  # filter byte 0, then black pixels
        rows_per_block = 100
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate; the zlib wrapper is added below
        block = compressor.compress(row * rows_per_block) + compressor.flush(zlib.Z_FULL_FLUSH)
        assert height % rows_per_block == 0
        adler = 1
        for _ in range(height // rows_per_block):
            adler = zlib.adler32(row * rows_per_block, adler)
        data = b"\x78\xda" + block * (height // rows_per_block) + compressor.flush() + struct.pack(">I", adler)
    else:
        data = zlib.compress(b"\x00" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


@functools.cache
def png_100_megapixels() -> bytes:
    return png_declaring(10_000, 10_000)


def photo(width: int = 640, height: int = 480, fmt: str = "JPEG") -> bytes:
    """Return a real picture: a red top half over a blue bottom half."""
    image = Image.new("RGB", (width, height), (20, 40, 200))
    image.paste((200, 20, 20), (0, 0, width, height // 2))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


GPS_LATITUDE = (21.0, 42.0, 1.0)


def jpeg_with_gps(width: int = 640, height: int = 480, orientation: int = 6) -> bytes:
    """Return a JPEG carrying camera tags, a GPS position and an EXIF orientation (6: turn 90° clockwise)."""
    image = Image.new("RGB", (width, height), (20, 40, 200))
    image.paste((200, 20, 20), (0, 0, width, height // 2))
    tags = Image.Exif()
    tags[0x010F] = "CameraMaker"  # Make
    tags[0x0110] = "SecretModel"  # Model
    tags[0x0112] = orientation
    tags[0x8825] = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: (104.0, 52.0, 1.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=tags, comment=b"secret comment")
    return out.getvalue()


def html_as_pdf() -> bytes:
    """An HTML page with a script: uploaded as "bao-cao.pdf"."""
    return HTML


def polyglot_png_html() -> bytes:
    """The PNG signature followed by an HTML page: a type sniffer says PNG, a browser runs the script."""
    return b"\x89PNG\r\n\x1a\n" + HTML


def png_with_payload() -> bytes:
    """A real PNG with an HTML page and a zip appended after its end: valid as a picture, more than one."""
    return photo(64, 48, "PNG") + HTML + docx()


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def pdf_truncated() -> bytes:
    return pdf()[:60]


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    """Return a minimal Word document (the parts a type check and python-docx look for)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_truncated() -> bytes:
    data = docx()
    return data[: len(data) // 2]


def raw_zip(members: list[tuple[bytes, int, int, int, int, bytes]]) -> bytes:
    """Return a zip written by hand from (name, method, crc, packed size, unpacked size, packed data).

    The end records are zip64 ones, so any number of entries fits.
    """
    local = io.BytesIO()
    central = io.BytesIO()
    for name, method, crc, packed, unpacked, data in members:
        offset = local.tell()
        local.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, packed, unpacked, len(name), 0))
        local.write(name + data)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                *(0x02014B50, 20, 20, 0, method, 0, 0, crc, packed, unpacked, len(name), 0, 0, 0, 0, 0, offset),
            )
            + name
        )
    cd_offset, cd = local.tell(), central.getvalue()
    count = len(members)
    zip64_end = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(cd), cd_offset)
    locator = struct.pack("<IIQI", 0x07064B50, 0, cd_offset + len(cd), 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return local.getvalue() + cd + zip64_end + locator + end


def _stored(name: bytes, data: bytes) -> tuple[bytes, int, int, int, int, bytes]:
    return (name, 0, zlib.crc32(data), len(data), len(data), data)


@functools.cache
def docx_bomb(megabytes: int = 500) -> bytes:
    """Return a .docx with a member that unpacks to `megabytes` MB of zeros, from about 0.5 MB.

    Each megabyte is deflated once and its (full-flushed, so self-contained) output repeated.
    """
    chunk = b"\x00" * 1_048_576
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    packed = block * megabytes + compressor.flush()
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return raw_zip(
        [
            _stored(b"[Content_Types].xml", b"<Types/>"),
            _stored(b"word/document.xml", b"<w:document/>"),
            (b"word/media/image1.bin", 8, crc, len(packed), megabytes * 1_048_576, packed),
        ]
    )


@functools.cache
def zip_many(entries: int = 100_000) -> bytes:
    """Return a .docx-looking zip with `entries` members (8.5 MB of headers)."""
    names = [b"[Content_Types].xml", b"word/document.xml"] + [b"%x" % i for i in range(entries - 2)]
    return raw_zip([_stored(name, b"") for name in names])


def zip_encrypted() -> bytes:
    """A .docx whose document part is flagged as encrypted (a password-protected zip)."""
    data = bytearray(docx())
    # zipfile cannot write encrypted members: set bit 0 of the flags in every local and central header.
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.find(signature)
        while position >= 0:
            data[position + flags_at] |= 0x1
            position = data.find(signature, position + 4)
    return bytes(data)


# --- OLE (Compound File Binary) containers: legacy Office files and encrypted new ones ----------

_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def cfb(streams: dict[str, bytes]) -> bytes:
    """Return a compound file (version 3, 512-byte sectors) holding the given top-level streams.

    Streams are padded to 4096 bytes so that all live in ordinary sectors (no mini stream).
    """
    items = sorted(streams.items(), key=lambda item: (len(item[0]), item[0].upper()))
    payloads = [data.ljust(4096, b"\x00") for _, data in items]
    sector_counts = [(len(p) + 511) // 512 for p in payloads]
    directory_sectors = (len(items) + 1 + 3) // 4
    first_data = 1 + directory_sectors  # sector 0 is the FAT
    total_sectors = first_data + sum(sector_counts)
    assert total_sectors <= 128, "one FAT sector is enough for the corpus"
    fat = [_FREE] * 128
    fat[0] = _FAT
    for i in range(directory_sectors):
        fat[1 + i] = 2 + i if i + 1 < directory_sectors else _END
    starts = []
    sector = first_data
    for count in sector_counts:
        starts.append(sector)
        for j in range(count):
            fat[sector + j] = sector + j + 1 if j + 1 < count else _END
        sector += count

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name.encode("utf-16-le") + b"\x00\x00") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _FREE, right, child)
            + b"\x00" * 16  # CLSID
            + b"\x00" * 4  # state bits
            + b"\x00" * 16  # creation and modification times
            + struct.pack("<IQ", start, size)
        )

    entries = [entry("Root Entry", 5, 1 if items else _FREE, _FREE, _END, 0)]
    for index, ((name, _), payload, start) in enumerate(zip(items, payloads, starts, strict=True)):
        right = index + 2 if index + 1 < len(items) else _FREE
        entries.append(entry(name, 2, _FREE, right, start, len(payload)))
    directory = b"".join(entries).ljust(directory_sectors * 512, b"\x00")
    header = (
        OLE_MAGIC
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    assert len(header) == 512
    return header + struct.pack("<128I", *fat) + directory + b"".join(payloads)


def encrypted_office() -> bytes:
    """What Word and Excel save when the user sets a password: an OLE container, not a zip."""
    return cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x00" * 5000})


def word97(encrypted: bool = False) -> bytes:
    """A Word 97–2003 .doc: an OLE container with a WordDocument stream (fEncrypted set if asked)."""
    flags = 0x0100 if encrypted else 0
    fib = struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0, 0, flags)
    return cfb({"WordDocument": fib, "1Table": b"\x00" * 16})


def excel97(encrypted: bool = False) -> bytes:
    """An Excel 97–2003 .xls: a Workbook stream that starts with BOF (then FILEPASS if encrypted)."""
    bof = struct.pack("<HH", 0x0809, 16) + b"\x00\x06\x05\x00" + b"\x00" * 12
    filepass = struct.pack("<HH", 0x002F, 6) + b"\x00" * 6 if encrypted else b""
    eof = struct.pack("<HH", 0x000A, 0)
    return cfb({"Workbook": bof + filepass + eof})


# The corpus every upload page must refuse: (file name as sent, builder, what the message says).
CORPUS: list[tuple[str, Callable[[], bytes], str]] = [
    ("anh-100-megapixel.png", png_100_megapixels, "quá lớn"),
    ("bao-cao.pdf", html_as_pdf, "không phải"),
    ("so-lieu.docx", encrypted_office, "mật khẩu"),
    ("chi-dao.doc", encrypted_office, "mật khẩu"),
    ("word-mat-khau.doc", lambda: word97(encrypted=True), "mật khẩu"),
    ("zip-mat-khau.docx", zip_encrypted, "mật khẩu"),
    ("bom.docx", docx_bomb, "giải nén"),
    ("nhieu-tep.docx", zip_many, "tệp con"),
    ("cut.docx", docx_truncated, "hỏng"),
    ("cut.pdf", pdf_truncated, "cắt cụt"),
    ("rong.pdf", lambda: b"", ""),
    ("anh-gia.png", polyglot_png_html, "không phải"),
]
