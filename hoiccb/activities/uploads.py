"""What activities accept as photos and documents; the checking itself is lib.files' guard."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile

from hoiccb.lib import files
from hoiccb.lib.files import human_size

__all__ = ["ACCEPT", "ALLOWED", "check_upload", "delete_stored", "human_size", "max_bytes"]

# Overridable in settings; the default fits a phone photo or a scanned report.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ACCEPT = files.PHOTOS | {"pdf", "docx", "xlsx"}
ALLOWED = "ảnh JPEG, PNG, WebP hoặc tài liệu PDF, Word (DOCX), Excel (XLSX)"
# Photos are kept sharp enough to print on a report page; the rest of the camera file is dropped.
PHOTO_MAX_SIDE = 2560


def max_bytes() -> int:
    return getattr(settings, "ACTIVITY_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_upload(upload: UploadedFile) -> files.Checked:
    """Return the checked file (photos re-encoded), or raise ValidationError (in Vietnamese) on the file field."""
    try:
        return files.guard_upload(
            upload, accept=ACCEPT, max_bytes=max_bytes(), image_max_side=PHOTO_MAX_SIDE, what=ALLOWED
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


def delete_stored(*stored: FieldFile) -> None:
    """Remove files from their storage; a field that never held a file has no name and is skipped."""
    for file in stored:
        if file.name:
            file.storage.delete(file.name)
