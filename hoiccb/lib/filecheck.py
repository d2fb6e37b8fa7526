"""What the bytes of an upload are: the parsers the upload guard (lib.files) runs in its child.

Magic numbers first; then, for an Office zip, its entries (count, unpacked sizes, ratio,
encryption, checksums); for an OLE container, its streams (an encrypted .docx/.xlsx is one);
for an image, its header's pixel count before any decoding, then a fresh drawing of its
pixels with nothing else. Call `examine` (or `identify`) through lib.sandbox.run_limited.
"""

import io
import re
import struct
import warnings
import zipfile
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extension: str
    image: bool = False


KINDS: dict[str, Kind] = {
    "jpeg": Kind("JPEG", "image/jpeg", "jpg", image=True),
    "png": Kind("PNG", "image/png", "png", image=True),
    "webp": Kind("WebP", "image/webp", "webp", image=True),
    "gif": Kind("GIF", "image/gif", "gif", image=True),
    "pdf": Kind("PDF", "application/pdf", "pdf"),
    "docx": Kind("Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": Kind("Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "doc": Kind("Word 97–2003 (.doc)", "application/msword", "doc"),
    "xls": Kind("Excel 97–2003 (.xls)", "application/vnd.ms-excel", "xls"),
    "txt": Kind("văn bản thuần (.txt)", "text/plain; charset=utf-8", "txt"),
}
CONTENT_TYPES = {name: kind.content_type for name, kind in KINDS.items()}
DOCX_TYPE = CONTENT_TYPES["docx"]

# Office files are zips: a real one has tens of parts, unpacks to a few MB and compresses
# XML perhaps 20 to 1. These bounds sit far above that and far below harm.
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
ZIP_MAX_MEMBER = 100 * 1024 * 1024
ZIP_MAX_RATIO = 200  # for members over 1 MB unpacked

ENCRYPTED_OFFICE = (
    "Tệp “{name}” là tệp Office có đặt mật khẩu (đã mã hóa): hãy mở tệp, gỡ mật khẩu "
    "(Tệp → Thông tin → Bảo vệ tài liệu) rồi tải lên lại."
)


def human_size(size: int) -> str:
    """Return a size as people say it: "850 KB", "12,5 MB"."""
    if size >= 1048576:
        return f"{size / 1048576:.1f} MB".replace(".0 MB", " MB").replace(".", ",")
    return f"{max(size // 1024, 1)} KB"


# --- What the bytes are ------------------------------------------------------------------------


def sniff(source) -> str | None:
    """Return "jpeg", "png", "webp", "gif", "pdf", "docx", "xlsx" or "doc" from the first bytes, else None.

    A quick look (magic numbers, the names inside an Office zip) for bytes or a seekable file,
    which is left at its start; an OLE container says "doc" whatever it holds. Accepting an
    upload takes `guard_upload`, which looks much further.
    """
    if isinstance(source, bytes | bytearray):
        head, archive_source = bytes(source[:16]), io.BytesIO(source)
    else:
        source.seek(0)
        head, archive_source = source.read(16), source
        source.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(archive_source) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        finally:
            archive_source.seek(0)
        return _office_kind(names)
    return None


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _office_kind(names: set[str]) -> str | None:
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


class Refused(Exception):
    """The file is not accepted; the message says why, in Vietnamese ({name} is filled in)."""


def _zip_declared_entries(data: bytes) -> int | None:
    """Return the entry count the end-of-central-directory record declares (zip64 too), if found."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    (count,) = struct.unpack_from("<H", data, end + 10)
    if count == 0xFFFF and end >= 20 and data[end - 20 : end - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", data, end - 20 + 8)
        if data[offset : offset + 4] == b"PK\x06\x06" and offset + 40 <= len(data):
            (count,) = struct.unpack_from("<Q", data, offset + 32)
    return count


def _check_zip(data: bytes) -> str:
    """Return "docx" or "xlsx" for a sound Office zip; raise Refused otherwise."""
    broken = Refused("Tệp “{name}” bị hỏng (tệp nén không đọc được).")
    declared = _zip_declared_entries(data)
    if declared is None:
        raise broken
    if declared > ZIP_MAX_ENTRIES:
        raise Refused(f"Tệp “{{name}}” chứa {declared:,} tệp con; tối đa {ZIP_MAX_ENTRIES:,}.".replace(",", "."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        raise broken from None
    with archive:
        entries = archive.infolist()
        if len(entries) > ZIP_MAX_ENTRIES:
            raise Refused(f"Tệp “{{name}}” chứa quá nhiều tệp con (tối đa {ZIP_MAX_ENTRIES:,}).".replace(",", "."))
        total = 0
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise Refused(ENCRYPTED_OFFICE)
            total += entry.file_size
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > ZIP_MAX_MEMBER or (entry.file_size > 1_048_576 and ratio > ZIP_MAX_RATIO):
                raise Refused(
                    "Tệp “{name}” chứa phần giải nén quá lớn "
                    f"({human_size(entry.file_size)} từ {human_size(entry.compress_size)}); không nhận."
                )
        if total > ZIP_MAX_UNPACKED:
            raise Refused(f"Tệp “{{name}}” giải nén ra {human_size(total)}; tối đa {human_size(ZIP_MAX_UNPACKED)}.")
        kind = _office_kind({e.filename for e in entries})
        if kind is None:
            raise Refused("Tệp “{name}” là tệp nén (zip) nhưng không phải văn bản Word hay bảng tính Excel.")
        try:
            # Every part unpacks to its declared size and checksum: the sizes above are the real ones.
            bad = archive.testzip()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, struct.error):
            raise broken from None
        if bad is not None:
            raise broken
    return kind


def _check_ole(data: bytes) -> str:
    """Return "doc" or "xls" for a legacy Office file without a password; raise Refused otherwise."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # olefile raises OSError and assorted parse errors on junk
        raise Refused("Tệp “{name}” bị hỏng (không đọc được cấu trúc tệp Office cũ).") from None
    with ole:
        streams = {"/".join(path).lower() for path in ole.listdir(streams=True, storages=False)}
        if "encryptedpackage" in streams or "encryptioninfo" in streams:
            raise Refused(ENCRYPTED_OFFICE)
        if "worddocument" in streams:
            fib = ole.openstream("WordDocument").read(12)
            if len(fib) < 12 or fib[:2] != b"\xec\xa5":
                raise Refused("Tệp “{name}” bị hỏng (văn bản Word cũ không đọc được).")
            (flags,) = struct.unpack_from("<H", fib, 10)
            if flags & 0x0100:  # fEncrypted
                raise Refused(ENCRYPTED_OFFICE)
            return "doc"
        for name in ("workbook", "book"):
            if name in streams:
                stream = ole.openstream(name.capitalize() if name != "workbook" else "Workbook").read(65_536)
                position = 0
                for _ in range(64):
                    if position + 4 > len(stream):
                        break
                    record, length = struct.unpack_from("<HH", stream, position)
                    if record == 0x002F:  # FILEPASS: the workbook is encrypted
                        raise Refused(ENCRYPTED_OFFICE)
                    position += 4 + length
                return "xls"
    raise Refused("Tệp “{name}” là tệp Office cũ nhưng không phải Word (.doc) hay Excel (.xls).")


_MARKUP = re.compile(
    rb"<\s*(?:html|script|svg|body|head|iframe|object|embed|meta|style|link|form|img|a\s|!doctype|\?xml)",
    re.IGNORECASE,
)


def _is_plain_text(data: bytes) -> bool:
    """True for UTF-8 text without control characters or markup (HTML renamed .txt is not text here)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text):
        return False
    return _MARKUP.search(data) is None


def identify(data: bytes, accept: frozenset[str] = frozenset(KINDS)) -> str | None:
    """Return the real kind of `data` after the deep checks; raise Refused for a hostile or broken file.

    Returns None when the bytes are of no kind we know. Runs the zip and OLE parsers: call it
    under `run_limited` for untrusted input (guard_bytes does).
    """
    if data.startswith(b"PK\x03\x04"):
        return _check_zip(data)
    kind = sniff(data[:16])
    if kind == "doc":
        return _check_ole(data)
    if kind == "pdf":
        if b"%%EOF" not in data[-2048:]:
            raise Refused("Tệp “{name}” không phải PDF hoàn chỉnh (bị cắt cụt hoặc hỏng).")
        return "pdf"
    if kind is None and "txt" in accept and _is_plain_text(data):
        return "txt"
    return kind


# --- Images ------------------------------------------------------------------------------------

_SAVE_AS = {"jpeg": "JPEG", "png": "PNG", "gif": "PNG", "webp": "WEBP"}


def _reencode(data: bytes, kind: str, max_side: int, max_pixels: int, force: str | None) -> tuple[str, bytes, int, int]:
    """Return (kind, bytes, width, height) of the picture drawn again: upright, at most `max_side`, no metadata."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP", "GIF"]) as image:
                width, height = image.size  # from the header: nothing decoded yet
                if width * height > max_pixels:
                    raise Refused(
                        f"Ảnh “{{name}}” quá lớn: {width} × {height} điểm ảnh; "
                        f"tối đa {max_pixels // 1_000_000} triệu điểm ảnh."
                    )
                orientation = image.getexif().get(0x0112, 1)
                image.draft("RGB", (max_side, max_side))  # JPEG decodes straight at a smaller scale
                image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
                picture: Image.Image = image
                transpose = {
                    2: Image.Transpose.FLIP_LEFT_RIGHT,
                    3: Image.Transpose.ROTATE_180,
                    4: Image.Transpose.FLIP_TOP_BOTTOM,
                    5: Image.Transpose.TRANSPOSE,
                    6: Image.Transpose.ROTATE_270,
                    7: Image.Transpose.TRANSVERSE,
                    8: Image.Transpose.ROTATE_90,
                }.get(orientation if isinstance(orientation, int) else 1)
                if transpose is not None:
                    picture = picture.transpose(transpose)
                out_kind = force or ("png" if kind == "gif" else kind)
                alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
                mode = "RGBA" if alpha and out_kind != "jpeg" else "RGB"
                pixels = picture.convert(mode)
                # A new image carries nothing but pixels: no EXIF, GPS, ICC, XMP or comments.
                clean = Image.new(mode, pixels.size)
                clean.paste(pixels)
                out = io.BytesIO()
                options: dict[str, Any] = {"quality": 85} if out_kind in ("jpeg", "webp") else {}
                clean.save(out, format=_SAVE_AS[out_kind], **options)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(f"Ảnh “{{name}}” quá lớn (trên {max_pixels // 1_000_000} triệu điểm ảnh); không nhận.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError):
        raise Refused("Tệp “{name}” không phải ảnh hợp lệ (bị hỏng hoặc cắt cụt).") from None
    return out_kind, out.getvalue(), clean.width, clean.height


def examine(data: bytes, accept: tuple[str, ...], max_side: int, max_pixels: int, force: str | None) -> tuple:
    """In the child: ("refused", message) or ("ok", kind, re-encoded bytes or None, width, height)."""
    try:
        kind = identify(data, frozenset(accept))
        if kind is None or kind not in accept:
            return ("wrong", kind)
        if KINDS[kind].image:
            out_kind, pixels, width, height = _reencode(data, kind, max_side, max_pixels, force)
            return ("ok", out_kind, pixels, width, height)
        return ("ok", kind, None, 0, 0)
    except Refused as refused:
        return ("refused", str(refused))
