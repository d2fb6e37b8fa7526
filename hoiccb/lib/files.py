"""What kind of file an upload really is, from its bytes: the one place for magic numbers.

Names and declared types are the sender's to choose; the first bytes (and, for Office
files, the parts inside the zip) are not. Each app decides which kinds it accepts.
"""

import io
import zipfile

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
