#!/usr/bin/env python
"""Time the congress's ballots PDF: what a request now does, and what the worker does, beside the
one WeasyPrint pass the request used to make while the chair waited.

    DEBUG=1 .venv/bin/python bench/ballots.py                     # 120 ballots of 18 names
    DEBUG=1 .venv/bin/python bench/ballots.py --delegates 300 --names 40 --repeat 1

No database: the printed context is made up at the stated scale and goes through the same code
as the page (`elections.docs.ballots_parts`, `lib.pdf_jobs.key_of`, `lib.pdf.html_parts_to_pdf`).
Lines: the request's side (the HTML of every part and its key, done on each poll of the waiting
page), the worker's layout in parts, and the baseline (all the ballots in one HTML, one pass).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--delegates", type=int, default=120)
    parser.add_argument("--names", type=int, default=18)
    parser.add_argument("--repeat", type=int, default=4)
    return parser.parse_args()


def timed(fn, repeat: int) -> float:
    """Median seconds of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoiccb.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from hoiccb.lib.pdf import html_parts_to_pdf
    from hoiccb.lib.pdf_jobs import key_of
    from hoiccb.meetings.elections.docs import ballots_parts

    context = {
        "parent": "HỘI CỰU CHIẾN BINH TỈNH YÊN BÁI",
        "unit": "HỘI CCB KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
        "meeting": "Đại hội đại biểu Hội CCB Khối lần thứ IV, nhiệm kỳ 2022–2027",
        "what": "Bầu Ban Chấp hành Hội CCB Khối cơ quan và doanh nghiệp tỉnh nhiệm kỳ 2022–2027",
        "round_number": 1,
        "names": [f"Nguyễn Văn Ứng Cử {i:02d}" for i in range(1, args.names + 1)],
        "seats": max(1, args.names - 2),
    }
    print(f"load average {os.getloadavg()[0]:.2f}; {args.delegates} ballots of {args.names} names")

    def request_side():
        key_of(ballots_parts(context, args.delegates))

    source = ballots_parts(context, args.delegates)
    whole = render_to_string(
        "meetings/elections/ballots_pdf.html", {**context, "serials": range(1, args.delegates + 1)}
    )
    request = timed(request_side, max(args.repeat, 5))
    # Interleaved, the order swapped each round: one process warms up as it goes (caches, memory),
    # and a run of one kind after the other would credit that to whichever came second.
    parts_times, baseline_times = [], []
    for i in range(args.repeat):
        runs = [
            (parts_times, lambda: html_parts_to_pdf(source.parts)),
            (baseline_times, lambda: HTML(string=whole).write_pdf()),
        ]
        for times, fn in runs if i % 2 == 0 else reversed(runs):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    parts, baseline = statistics.median(parts_times), statistics.median(baseline_times)
    print(
        f"request, HTML of {len(source.parts)} parts + key: {request * 1000:.1f} ms",
        f"({request / baseline:.3f}× baseline)",
    )
    print(f"worker, layout in parts, joined: {parts:.1f} s ({parts / baseline:.2f}× baseline)")
    print(f"baseline, one pass as the request did before: {baseline:.1f} s")


if __name__ == "__main__":
    main()
