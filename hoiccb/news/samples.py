"""Small real files made in code: a PDF, a DOCX and a photo, for the demo data and the tests."""

import io
import zipfile
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw


def pdf_bytes(lines: list[str]) -> bytes:
    """Return a valid one-page PDF showing `lines` (ASCII only: the base-14 Helvetica font)."""
    text = " ".join(
        f"({line.encode('ascii', 'replace').decode().replace('(', '[').replace(')', ']')}) Tj 0 -18 Td"
        for line in lines
    )
    stream = f"BT /F1 12 Tf 72 760 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    """Return a minimal valid Word document (.docx) with one paragraph per item (Unicode)."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def photo_bytes(width: int = 1200, height: int = 800, *, fmt: str = "JPEG", exif: bool = False, seed: int = 0) -> bytes:
    """Return a picture (a meeting-room scene of simple shapes); with exif=True it carries camera and GPS tags."""
    image = Image.new("RGB", (width, height), (200 - seed * 7 % 60, 180, 150 + seed * 13 % 80))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, int(height * 0.62), width, height], fill=(120, 60, 40))  # table
    draw.rectangle([int(width * 0.3), int(height * 0.08), int(width * 0.7), int(height * 0.3)], fill=(170, 20, 30))
    for i in range(6):  # people at the table
        x = int(width * (0.1 + i * 0.15))
        draw.ellipse([x, int(height * 0.38), x + width // 14, int(height * 0.38) + width // 14], fill=(230, 190, 160))
        draw.rectangle([x - 10, int(height * 0.48), x + width // 14 + 10, int(height * 0.64)], fill=(40, 70, 40))
    out = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "CameraMaker"  # Make
        tags[0x0110] = "SecretModel"  # Model
        tags[0x0131] = "PhotoSoftware 1.0"  # Software
        tags[0x0112] = 1  # Orientation
        gps = {1: "N", 2: (21.0, 42.0, 1.0), 3: "E", 4: (104.0, 52.0, 1.0)}
        tags[0x8825] = gps
        image.save(out, format=fmt, exif=tags)
    else:
        image.save(out, format=fmt)
    return out.getvalue()
