"""Checks on uploaded photos and documents: the real content decides, not the name or the browser."""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from hoiccb.activities.models import AttachmentKind

# Overridable in settings; the default fits a phone photo or a scanned report.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extension: str
    kind: str


JPEG = FileType("JPEG", "image/jpeg", ".jpg", AttachmentKind.PHOTO)
PNG = FileType("PNG", "image/png", ".png", AttachmentKind.PHOTO)
WEBP = FileType("WebP", "image/webp", ".webp", AttachmentKind.PHOTO)
PDF = FileType("PDF", "application/pdf", ".pdf", AttachmentKind.DOCUMENT)
DOCX = FileType(
    "Word (DOCX)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
    AttachmentKind.DOCUMENT,
)
XLSX = FileType(
    "Excel (XLSX)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsx",
    AttachmentKind.DOCUMENT,
)
ALLOWED = "ảnh JPEG, PNG, WebP hoặc tài liệu PDF, Word (DOCX), Excel (XLSX)"


def max_bytes() -> int:
    return getattr(settings, "ACTIVITY_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def sniff(upload: UploadedFile) -> FileType | None:
    """Return the type the file's bytes say it is (magic numbers; DOCX/XLSX by their zip parts), or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def human_size(size: int) -> str:
    if size >= 1048576:
        return f"{size / 1048576:.1f} MB".replace(".0 MB", " MB").replace(".", ",")
    return f"{max(size // 1024, 1)} KB"


def check_upload(upload: UploadedFile) -> FileType:
    """Return the file's type, or raise ValidationError (in Vietnamese) for an empty, oversized or unknown file."""
    limit = max_bytes()
    if upload.size == 0:
        raise ValidationError({"file": "Tệp rỗng."})
    if upload.size > limit:
        raise ValidationError(
            {"file": f"Tệp “{upload.name}” quá lớn ({human_size(upload.size)}); tối đa {human_size(limit)}."}
        )
    kind = sniff(upload)
    if kind is None:
        raise ValidationError({"file": f"Tệp “{upload.name}” không phải {ALLOWED}."})
    return kind
