"""The card photo: the upload guard first (lib.files), then a centred 3×4 crop, re-encoded."""

import io

from django.core.exceptions import ValidationError
from PIL import Image

from hoiccb.lib import files

SIZE = (360, 480)  # 3×4 at 300 dpi for a 30×40 mm print is more than a card needs


def card_photo(upload) -> tuple[bytes, int, int]:
    """Return (JPEG bytes, width, height) of the upload cropped to 3×4; raises ValidationError."""
    checked = files.guard_upload(upload, accept=files.PHOTOS, max_bytes=files.PHOTO_MAX_BYTES, image_as="jpeg")
    clean = checked.file
    try:
        with Image.open(io.BytesIO(clean.read())) as opened:
            image = opened.convert("RGB")
            w, h = image.size
            if w * 4 > h * 3:  # too wide: cut the sides
                new_w = h * 3 // 4
                box = ((w - new_w) // 2, 0, (w - new_w) // 2 + new_w, h)
            else:  # too tall: keep the top (the face), cut the bottom first
                new_h = w * 4 // 3
                top = min((h - new_h) // 4, h - new_h)
                box = (0, top, w, top + new_h)
            cropped = image.crop(box).resize(SIZE, Image.Resampling.LANCZOS)
            out = io.BytesIO()
            cropped.save(out, format="JPEG", quality=88, optimize=True)
    except (OSError, ValueError) as exc:
        raise ValidationError("Tệp không phải là ảnh hợp lệ.") from exc
    return out.getvalue(), SIZE[0], SIZE[1]
