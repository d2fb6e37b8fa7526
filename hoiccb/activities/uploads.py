"""Checks on uploaded photos and documents: the real content decides, not the name or the browser."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile

from hoiccb.activities.models import AttachmentKind
from hoiccb.lib import files
from hoiccb.lib.files import CONTENT_TYPES

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
    CONTENT_TYPES["docx"],
    ".docx",
    AttachmentKind.DOCUMENT,
)
XLSX = FileType(
    "Excel (XLSX)",
    CONTENT_TYPES["xlsx"],
    ".xlsx",
    AttachmentKind.DOCUMENT,
)
ALLOWED = "ảnh JPEG, PNG, WebP hoặc tài liệu PDF, Word (DOCX), Excel (XLSX)"


def max_bytes() -> int:
    return getattr(settings, "ACTIVITY_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


_BY_KIND = {"jpeg": JPEG, "png": PNG, "webp": WEBP, "pdf": PDF, "docx": DOCX, "xlsx": XLSX}


def sniff(upload: UploadedFile) -> FileType | None:
    """Return the type the file's bytes say it is (hoiccb.lib.files), if activities accept it."""
    kind = files.sniff(upload)
    return _BY_KIND.get(kind) if kind is not None else None


def human_size(size: int) -> str:
    if size >= 1048576:
        return f"{size / 1048576:.1f} MB".replace(".0 MB", " MB").replace(".", ",")
    return f"{max(size // 1024, 1)} KB"


def check_upload(upload: UploadedFile) -> FileType:
    """Return the file's type, or raise ValidationError (in Vietnamese) for an empty, oversized or unknown file."""
    limit = max_bytes()
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": "Tệp rỗng."})
    if size > limit:
        raise ValidationError(
            {"file": f"Tệp “{upload.name}” quá lớn ({human_size(size)}); tối đa {human_size(limit)}."}
        )
    kind = sniff(upload)
    if kind is None:
        raise ValidationError({"file": f"Tệp “{upload.name}” không phải {ALLOWED}."})
    return kind


def delete_stored(*stored: FieldFile) -> None:
    """Remove files from their storage; a field that never held a file has no name and is skipped."""
    for file in stored:
        if file.name:
            file.storage.delete(file.name)
