"""What kind of file an upload really is, from its bytes: the one place for magic numbers.

Names and declared types are the sender's to choose; the first bytes (and, for Office
files, the parts inside the zip) are not. Each app decides which kinds it accepts.
"""

import io
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

CONTENT_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
}
DOCX_TYPE = CONTENT_TYPES["docx"]
# PDF and Word documents people attach (directives, nominations, meeting papers).
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def sniff(source) -> str | None:
    """Return "jpeg", "png", "webp", "pdf", "docx", "xlsx" or "doc" for bytes or a seekable file, else None.

    A file is left at its start.
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
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(archive_source) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            archive_source.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


PHOTO_MAX_BYTES = 15 * 1024 * 1024
PHOTO_MAX_SIDE = 1600
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}

# Decompression bombs: refuse images whose pixel count is absurd before decoding them.
Image.MAX_IMAGE_PIXELS = 60_000_000


def process_photo(upload) -> tuple[ContentFile, int, int]:
    """Return the photo re-encoded as JPEG (at most 1600 px, EXIF and other metadata dropped), and its size.

    Raises ValidationError unless the bytes decode as a JPEG, PNG, WebP or GIF image.
    """
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError("Ảnh lớn hơn 15 MB.")
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise ValidationError("Chỉ nhận ảnh JPEG, PNG, WebP hoặc GIF.")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Honour the camera's orientation, then forget every tag.
            upright = ImageOps.exif_transpose(image).convert("RGB")
            upright.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
            clean = Image.new("RGB", upright.size)
            clean.paste(upright)
            out = io.BytesIO()
            clean.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError("Tệp không phải là ảnh hợp lệ.") from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), clean.width, clean.height


DOCUMENT_KINDS = ("pdf", "docx", "doc")


def sniff_document(data: bytes) -> str | None:
    """Return "pdf", "docx" or "doc" from the file's bytes, or None."""
    kind = sniff(data)
    return kind if kind in DOCUMENT_KINDS else None


def check_document(upload) -> tuple[ContentFile, str, str, int]:
    """Return (stored file, original name, content type, size) of a PDF or Word upload.

    Raises ValidationError for anything else or for files over 20 MB.
    """
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError("Tệp lớn hơn 20 MB.")
    data = upload.read()
    kind = sniff_document(data)
    if kind is None:
        raise ValidationError("Chỉ nhận tệp PDF hoặc Word (.docx, .doc).")
    original = (upload.name or f"van-ban.{kind}").rsplit("/", 1)[-1][:150]
    stem = original.rsplit(".", 1)[0] if "." in original else original
    shown = f"{stem}.{kind}"
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{kind}"), shown, CONTENT_TYPES[kind], len(data)


def private_dir(name: str) -> Path:
    """Return (creating it) a folder for uploads kept outside the static root, e.g. "imports"."""
    path = Path(settings.MEDIA_ROOT) / "private" / name
    path.mkdir(parents=True, exist_ok=True)
    return path
