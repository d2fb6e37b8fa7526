"""The one guard every uploaded file passes: `guard_upload` (and `guard_bytes` for bytes in hand).

Names and declared types are the sender's to choose; the bytes are not. The guard decides
what a file really is from its content (magic numbers; the parts inside an Office zip; the
streams of an OLE container, where an encrypted .docx/.xlsx hides), refuses anything the
form does not accept, bounds its size, checks archives (entries, unpacked total, ratio,
encryption, one huge member), refuses images above a pixel count before decoding them, and
re-encodes every image without its metadata (EXIF GPS included), upright. Everything that
parses the bytes runs in a forked child under a memory and time limit (lib.sandbox), so no
file, however built, can take the web process or the worker down; the user gets a
Vietnamese message instead.
"""

import io
import logging
import re
import struct
import uuid
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from hoiccb.lib.sandbox import ChildError, LimitExceeded, run_limited
from hoiccb.lib.text import clean_text

logger = logging.getLogger(__name__)


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

PHOTOS = frozenset({"jpeg", "png", "webp"})
DOCUMENTS = frozenset({"pdf", "docx", "doc"})
DOCUMENTS_WHAT = "tệp PDF hoặc Word (.pdf, .docx, .doc)"

# PDF and Word documents people attach (directives, nominations, meeting papers).
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
PHOTO_MAX_BYTES = 15 * 1024 * 1024
PHOTO_MAX_SIDE = 1600
# A 48-megapixel phone photo passes; a decompression bomb declaring 100 megapixels does not.
IMAGE_MAX_PIXELS = 50_000_000
# Office files are zips: a real one has tens of parts, unpacks to a few MB and compresses
# XML perhaps 20 to 1. These bounds sit far above that and far below harm.
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
ZIP_MAX_MEMBER = 100 * 1024 * 1024
ZIP_MAX_RATIO = 200  # for members over 1 MB unpacked
UPLOAD_CHECK_SECONDS = 20

# Any image this process opens elsewhere is refused past this size too.
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS

ENCRYPTED_OFFICE = (
    "Tệp “{name}” là tệp Office có đặt mật khẩu (đã mã hóa): hãy mở tệp, gỡ mật khẩu "
    "(Tệp → Thông tin → Bảo vệ tài liệu) rồi tải lên lại."
)


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def human_size(size: int) -> str:
    """Return a size as people say it: "850 KB", "12,5 MB"."""
    if size >= 1048576:
        return f"{size / 1048576:.1f} MB".replace(".0 MB", " MB").replace(".", ",")
    return f"{max(size // 1024, 1)} KB"


def labels(accept: Iterable[str]) -> str:
    """Return the accepted kinds in words: "JPEG, PNG hoặc PDF"."""
    names = [KINDS[k].label for k in KINDS if k in set(accept)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} hoặc {names[-1]}"


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
                picture = image
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


def _inspect(data: bytes, accept: tuple[str, ...], max_side: int, max_pixels: int, force: str | None) -> tuple:
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


# --- The guard ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """An accepted upload: the file to store (random name), its real kind, a clean name to show."""

    file: ContentFile
    kind: str
    name: str
    content_type: str
    size: int
    width: int = 0
    height: int = 0

    @property
    def is_image(self) -> bool:
        return KINDS[self.kind].image


def clean_name(name: str | None, extension: str | None = None) -> str:
    """Return the sender's file name without folders or invisible characters, at most 150 characters.

    With `extension`, the name ends in it (the real type's) instead of whatever the sender typed.
    """
    base = clean_text(re.split(r"[\\/]", name or "")[-1]).strip(" .")
    stem, _, given = base.rpartition(".") if "." in base else (base, "", "")
    if extension is None:
        return base[:150] or "tep"
    if given.lower() in _SAME_EXTENSION.get(extension, {extension}):
        extension = given  # "ẢNH.JPEG" stays as the sender wrote it
    return f"{(stem or 'tep')[:140]}.{extension}"


_SAME_EXTENSION = {"jpg": {"jpg", "jpeg"}}


def guard_upload(
    upload,
    *,
    accept: Iterable[str],
    max_bytes: int,
    image_max_side: int = PHOTO_MAX_SIDE,
    image_as: str | None = None,
    what: str | None = None,
) -> Checked:
    """Return the checked, safe copy of an uploaded file; raise ValidationError (Vietnamese) otherwise.

    `accept`: kinds from KINDS. Images come back re-encoded (at most `image_max_side` px,
    as `image_as` when given, e.g. "jpeg"); other files unchanged under a random name.
    `what`: the accepted kinds in the form's own words, for the message.
    """
    name = clean_name(getattr(upload, "name", None))
    size = getattr(upload, "size", None) or 0
    if size > max_bytes:
        raise ValidationError(f"Tệp “{name}” quá lớn ({human_size(size)}); tối đa {human_size(max_bytes)}.")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    return guard_bytes(
        data,
        name=name,
        accept=accept,
        max_bytes=max_bytes,
        image_max_side=image_max_side,
        image_as=image_as,
        what=what,
    )


def guard_bytes(
    data: bytes,
    *,
    name: str | None,
    accept: Iterable[str],
    max_bytes: int,
    image_max_side: int = PHOTO_MAX_SIDE,
    image_as: str | None = None,
    what: str | None = None,
) -> Checked:
    """`guard_upload` for bytes already read."""
    accepted = tuple(k for k in KINDS if k in set(accept))
    shown = clean_name(name)
    if not data:
        raise ValidationError(f"Tệp “{shown}” rỗng.")
    if len(data) > max_bytes:
        raise ValidationError(f"Tệp “{shown}” quá lớn; tối đa {human_size(max_bytes)}.")
    max_pixels = _limit("UPLOAD_IMAGE_MAX_PIXELS", IMAGE_MAX_PIXELS)
    try:
        report = run_limited(
            _inspect,
            data,
            accepted,
            image_max_side,
            max_pixels,
            image_as,
            seconds=_limit("UPLOAD_CHECK_SECONDS", UPLOAD_CHECK_SECONDS),
        )
    except LimitExceeded as exc:
        what = "quá nhiều bộ nhớ" if exc.reason == "memory" else "quá nhiều thời gian"
        raise ValidationError(f"Tệp “{shown}” cần {what} để đọc (tệp hỏng hoặc bị làm giả); không nhận.") from None
    except ChildError as exc:
        logger.warning("upload check failed on %r: %s: %s", shown, exc.kind, exc.message)
        raise ValidationError(f"Tệp “{shown}” bị hỏng, không đọc được.") from None
    if report[0] == "ok" and report[1] == "txt" and not shown.lower().endswith(".txt"):
        # Almost any bytes read as text; plain text is taken only when the sender says so too.
        report = ("wrong", None)
    if report[0] == "wrong":
        raise ValidationError(
            f"Tệp “{shown}” không phải {what or labels(accepted)} (kiểm tra theo nội dung tệp, không theo tên đuôi)."
        )
    if report[0] == "refused":
        raise ValidationError(report[1].replace("{name}", shown))
    _, kind, pixels, width, height = report
    content = pixels if pixels is not None else data
    extension = KINDS[kind].extension
    return Checked(
        file=ContentFile(content, name=f"{uuid.uuid4().hex}.{extension}"),
        kind=kind,
        name=clean_name(name, extension),
        content_type=KINDS[kind].content_type,
        size=len(content),
        width=width,
        height=height,
    )


def content_type_for(stored_name: str) -> str:
    """Return the content type to serve a stored upload with, from the real extension the guard gave it.

    Files stored before the guard may carry any extension: those are served as plain bytes.
    """
    extension = stored_name.rsplit(".", 1)[-1].lower() if "." in stored_name else ""
    extension = {"jpeg": "jpg"}.get(extension, extension)
    for kind in KINDS.values():
        if kind.extension == extension:
            return kind.content_type
    return "application/octet-stream"


def serve_upload(handle, *, stored_name: str, filename: str, inline: bool = False, cache: str = "private, no-store"):
    """Return a FileResponse for a stored upload: its real type, `nosniff`, as an attachment unless `inline`.

    Only images the guard re-encoded should be served inline.
    """
    from django.http import FileResponse

    content_type = content_type_for(stored_name)
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not (inline and content_type.startswith("image/")),
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response


def private_dir(name: str) -> Path:
    """Return (creating it) a folder for uploads kept outside the static root, e.g. "imports"."""
    path = Path(settings.MEDIA_ROOT) / "private" / name
    path.mkdir(parents=True, exist_ok=True)
    return path
