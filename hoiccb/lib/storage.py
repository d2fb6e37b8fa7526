"""Files the application keeps for itself, through Django's storage API and nothing else.

Uploads waiting for a second step, the cells of a sheet as read, PDFs converted in the
background, the administrator's decision template: all of it lives in the default storage
under ``private/``. On one machine that is MEDIA_ROOT on the local disk; with STORAGE_URL it
is a private bucket of an S3-compatible store (hoiccb/lib/deploy.py), so a worker on another
machine reads what a web process wrote. No code opens a path under MEDIA_ROOT itself.
"""

import datetime
from collections.abc import Iterator
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

PRIVATE = "private"


def private_name(folder: str, name: str) -> str:
    """Return the storage name of a private file: "private/<folder>/<name>"."""
    return f"{PRIVATE}/{folder}/{name}"


def write(name: str, data: bytes) -> None:
    """Store `data` under exactly `name`, replacing what was there.

    The local storage would otherwise pick another name for an existing one; an object
    store replaces an object in one step, so readers see the old bytes or the new.
    """
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another process wrote the same name in between: keep one copy
        default_storage.delete(saved)


def read(name: str) -> bytes:
    """Return the bytes stored under `name`; raises FileNotFoundError when there are none."""
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise
    except OSError as exc:  # an object store says "missing" in its own words
        raise FileNotFoundError(name) from exc


def exists(name: str) -> bool:
    return default_storage.exists(name)


def delete(name: str) -> None:
    """Remove `name` if it is there."""
    default_storage.delete(name)


def modified(name: str) -> datetime.datetime:
    """Return when `name` was last written (aware UTC)."""
    return default_storage.get_modified_time(name)


def open_for_download(name: str):
    """Return an open binary handle on `name` for a streamed response (FileResponse closes it)."""
    return default_storage.open(name, "rb")


def walk(folder: str = "") -> Iterator[str]:
    """Yield the name of every file under `folder` (all of the storage by default), sorted."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # the local storage before its first file
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for sub in sorted(folders):
        yield from walk(prefix + sub)


def size(name: str) -> int:
    return default_storage.size(name)


def put_file(name: str, source: Path) -> None:
    """Store the local file `source` under `name` (streamed, not read whole into memory)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with source.open("rb") as handle:
        default_storage.save(name, File(handle))
