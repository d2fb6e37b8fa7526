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

import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from hoiccb.lib.filecheck import CONTENT_TYPES, DOCX_TYPE, KINDS, Kind, examine, human_size, sniff
from hoiccb.lib.sandbox import ChildError, LimitExceeded, run_limited
from hoiccb.lib.text import clean_text

__all__ = [
    "CONTENT_TYPES",
    "DOCX_TYPE",
    "KINDS",
    "Checked",
    "Kind",
    "guard_bytes",
    "guard_upload",
    "human_size",
    "sniff",
]

logger = logging.getLogger(__name__)


PHOTOS = frozenset({"jpeg", "png", "webp"})
DOCUMENTS = frozenset({"pdf", "docx", "doc"})
DOCUMENTS_WHAT = "tệp PDF hoặc Word (.pdf, .docx, .doc)"

# PDF and Word documents people attach (directives, nominations, meeting papers).
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
PHOTO_MAX_BYTES = 15 * 1024 * 1024
PHOTO_MAX_SIDE = 1600
# A 48-megapixel phone photo passes; a decompression bomb declaring 100 megapixels does not.
IMAGE_MAX_PIXELS = 50_000_000
UPLOAD_CHECK_SECONDS = 20

# Any image this process opens elsewhere is refused past this size too.
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def labels(accept: Iterable[str]) -> str:
    """Return the accepted kinds in words: "JPEG, PNG hoặc PDF"."""
    names = [KINDS[k].label for k in KINDS if k in set(accept)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} hoặc {names[-1]}"


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
            examine,
            data,
            accepted,
            image_max_side,
            max_pixels,
            image_as,
            seconds=_limit("UPLOAD_CHECK_SECONDS", UPLOAD_CHECK_SECONDS),
        )
    except LimitExceeded as exc:
        need = "quá nhiều bộ nhớ" if exc.reason == "memory" else "quá nhiều thời gian"
        raise ValidationError(f"Tệp “{shown}” cần {need} để đọc (tệp hỏng hoặc bị làm giả); không nhận.") from None
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
