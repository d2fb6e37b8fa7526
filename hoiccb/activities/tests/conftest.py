"""Activities' own fixtures on top of the shared cast (hoiccb/conftest.py)."""

import datetime
import io
import struct
import zipfile
import zlib

import pytest

from hoiccb.activities import services
from hoiccb.activities.models import ActivityKind, FundingSource, Occasion


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def act_kinds(kinds):
    if not ActivityKind.objects.exists():
        from hoiccb.conftest import ensure_reference_data

        ensure_reference_data()
    return {k.code: k for k in ActivityKind.objects.all()}


def make_activity(actor, unit, kind, title="Sinh hoạt chuyên đề", start=datetime.date(2024, 2, 3), **fields):
    return services.activity_create(actor=actor, unit=unit, kind=kind, title=title, start_date=start, **fields)


def make_round(actor, unit, kinds, occasion=Occasion.TET, start=datetime.date(2024, 2, 2), **fields):
    fields.setdefault("funding_source", FundingSource.ASSOCIATION_FUND)
    return make_activity(
        actor, unit, kinds["an-sinh"], title=f"Thăm, tặng quà {unit.name}", start=start, occasion=occasion, **fields
    )


def give(actor, activity, name, address, value, **fields):
    fields.setdefault("circumstance", "chinh_sach")
    fields.setdefault("form", "tien")
    fields.setdefault("funding_source", FundingSource.ASSOCIATION_FUND)
    return services.gift_add(
        actor=actor, activity=activity, beneficiary_name=name, address=address, value=value, **fields
    )


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """Return a real PNG image (grey pixels), built by hand so tests need no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
