#!/usr/bin/env python
"""What each hostile upload costs with the guard (lib.files) and without it.

    DEBUG=1 .venv/bin/python bench/uploads.py

For every file of the hostile corpus (hoiccb/lib/tests/hostile.py) it prints one line: the
guard's verdict and time, how much the calling process's peak memory grew (the web process
or worker: the figure that must stay small; the guard's own child is capped by
UNTRUSTED_PARSE_MEMORY_BYTES), and, as the baseline measured in the same run, how much the
peak of a process grows when it opens the same bytes the naive way (Pillow decoding the
image, zipfile reading every member). Each measurement runs in a fresh forked process.
"""

import io
import multiprocessing
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")

import django  # noqa: E402

django.setup()

from PIL import Image  # noqa: E402

from hoiccb.lib import files  # noqa: E402
from hoiccb.lib.tests import hostile  # noqa: E402

MB = 1024 * 1024
ACCEPT = files.PHOTOS | files.DOCUMENTS | {"xlsx", "xls"}


def _peak(who: int) -> int:
    return resource.getrusage(who).ru_maxrss * 1024


def _guarded(data: bytes, name: str, out) -> None:
    before = _peak(resource.RUSAGE_SELF)
    started = time.perf_counter()
    try:
        files.guard_bytes(data, name=name, accept=ACCEPT, max_bytes=20 * MB)
        verdict = "accepted"
    except Exception as exc:  # the verdict is what we print
        verdict = " ".join(getattr(exc, "messages", [str(exc)]))
    elapsed = time.perf_counter() - started
    out.send((verdict, elapsed, _peak(resource.RUSAGE_SELF) - before))


def _naive(data: bytes, out) -> None:
    before = _peak(resource.RUSAGE_SELF)
    Image.MAX_IMAGE_PIXELS = None  # what a reader without the check does
    try:
        if data.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for entry in archive.infolist():
                    archive.read(entry)
        else:
            Image.open(io.BytesIO(data)).load()
        outcome = "read"
    except Exception as exc:
        outcome = type(exc).__name__
    out.send((outcome, _peak(resource.RUSAGE_SELF) - before))


def _in_fork(target, *args):
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=target, args=(*args, sender))
    process.start()
    result = receiver.recv()
    process.join()
    return result


def main() -> None:
    print(f"{'file':24} {'guard':>8} {'caller +MB':>10} {'naive +MB':>9}  verdict")
    for name, build, _words in hostile.CORPUS:
        data = build()
        verdict, elapsed, grown = _in_fork(_guarded, data, name)
        outcome, naive = _in_fork(_naive, data)
        print(
            f"{name:24} {elapsed * 1000:6.0f}ms {grown / MB:10.1f} {naive / MB:9.1f}  {verdict[:70]} (naive: {outcome})"
        )


if __name__ == "__main__":
    main()
