#!/usr/bin/env python
"""Load-test the public news list served by the production server from SQLite.

    .venv/bin/python bench/news.py                      # 10,000 articles, 10 s per figure
    .venv/bin/python bench/news.py --duration 20 --workers 3 --connections 8

Builds (or reuses) var/bench-news.sqlite3 with the demo bloc and N published articles,
starts gunicorn with production settings (DEBUG off, WhiteNoise, manifest static files)
on 127.0.0.1, and drives it with `wrk` (installed by `scripts/install-system-deps.sh
--bench`) from a second process. Each figure is printed beside the /healthz floor
measured in the same run, and the public list is measured with and without the page
cache. See bench/news.md.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_RPS = 300.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per figure (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="open connections of wrk (default 8)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3, as in the README)")
    parser.add_argument("--sqlite-path", default=str(ROOT / "var" / "bench-news.sqlite3"))
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark database")
    parser.add_argument("--only", default="", help="run only figures whose label contains this text")
    return parser.parse_args()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def base_env(args, *, debug: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{Path(args.sqlite_path).resolve()}",
        MEDIA_ROOT=str(ROOT / "var" / "bench-media"),
        DEBUG="1" if debug else "0",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="hoiccb.settings",
    )
    if not debug:
        # Loopback without TLS: no HTTPS redirect, no secure-only cookies.
        env.update(
            SECRET_KEY=secrets.token_hex(32),
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            SECURE_COOKIES="0",
            SECURE_HSTS_SECONDS="0",
        )
    return env


# --- Data --------------------------------------------------------------------------


def build_data(args) -> None:
    """Create the database with the demo bloc and `--articles` published articles (reused when it matches)."""
    path = Path(args.sqlite_path).resolve()
    if path.name == "hoiccb.sqlite3":
        sys.exit("Refusing to use the development database; pick another --sqlite-path.")
    if args.fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ.update(base_env(args, debug=True))
    import django

    django.setup()
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from hoiccb.news import content, samples
    from hoiccb.news.models import Article, ArticlePhoto, ArticleStatus, Category
    from hoiccb.news.services import bump_public_state
    from hoiccb.org.models import Unit

    call_command("migrate", verbosity=0, interactive=False)
    if not Unit.objects.exists():
        log("Seeding the demo bloc (units, users, the demo news)…")
        call_command("seed_demo", allow_production=True, stdout=sys.stderr)
    have = Article.objects.filter(status=ArticleStatus.PUBLISHED).count()
    if have >= args.articles:
        log(f"Reusing {have:,} published articles in {path}")
        return
    log(f"Adding {args.articles - have:,} published articles…")
    started = time.monotonic()
    units = list(Unit.objects.filter(kind__is_grassroots=True)) or list(Unit.objects.all())
    categories = list(Category.objects.all())
    body = (
        "Thực hiện chỉ đạo của Hội Cựu chiến binh tỉnh, Hội đã triển khai công tác thông tin, tuyên truyền "
        "kịp thời tới cán bộ, hội viên.\n\n"
    ) * 6
    html = content.render_body(body)
    photo_name = default_storage.save("news/photos/bench.jpg", ContentFile(samples.photo_bytes(800, 530)))
    now = timezone.now()
    batch = []
    for n in range(have, args.articles):
        title = f"Hội Cựu chiến binh cơ sở số {n} tổ chức hoạt động tuyên truyền, an sinh xã hội"
        lead = f"Tin số {n}: Hội đã thăm, tặng quà các gia đình chính sách và tổ chức sinh hoạt chuyên đề."
        article = Article(
            unit=units[n % len(units)],
            category=categories[n % len(categories)] if categories else None,
            title=title,
            slug=f"{content.slug_base(title)}-b{n}",
            lead=lead,
            body_source=body,
            body_html=html,
            author_name="Văn phòng Hội",
            status=ArticleStatus.PUBLISHED,
            publish_at=now - datetime.timedelta(days=365 * 2) - datetime.timedelta(hours=args.articles - n),
        )
        article.refresh_search_text()
        batch.append(article)
        if len(batch) == 1000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    # One article in three has a cover photo, like a real news page.
    ids = Article.objects.filter(slug__contains="-b").values_list("id", flat=True)
    ArticlePhoto.objects.bulk_create(
        [
            ArticlePhoto(article_id=pk, image=photo_name, width=800, height=530, caption="Ảnh")
            for pk in ids
            if pk % 3 == 0
        ],
        batch_size=1000,
    )
    bump_public_state()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"Loaded in {time.monotonic() - started:.1f} s")


def deep_cursor(args, pages: int = 50) -> str:
    """Return the `?sau=` cursor of the list's page `pages + 1` (to time a deep page)."""
    from hoiccb.news import selectors

    after = ""
    for _ in range(pages):
        _, after = selectors.public_page(after=after)
    return after or ""


def article_slug() -> str:
    from hoiccb.demo.news import SOURCE_TITLE
    from hoiccb.news.models import Article

    return Article.objects.filter(title=SOURCE_TITLE).values_list("slug", flat=True).first()


# --- Server and load ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def collectstatic(args) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=base_env(args, debug=False),
        check=True,
    )


class Server:
    """gunicorn with production settings on a free loopback port."""

    def __init__(self, args, *, cache_seconds: int):
        self.port = free_port()
        env = base_env(args, debug=False)
        env["NEWS_CACHE_SECONDS"] = str(cache_seconds)
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "hoiccb.wsgi", "--workers", str(args.workers), "--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit("gunicorn did not answer /healthz within 30 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def check_page(url: str, must_contain: str) -> None:
    with urllib.request.urlopen(url, timeout=5) as response:
        body = response.read().decode()
    if response.status != 200 or must_contain not in body:
        sys.exit(f"{url} did not answer the expected page")


def run_wrk(url: str, args) -> dict:
    """Return requests/s, p50 and p99 latency in ms, and the count of failed responses."""
    # Warm every worker (their caches and connections) before timing.
    subprocess.run(["wrk", "-t1", f"-c{args.connections}", "-d2s", url], capture_output=True, check=True)
    out = subprocess.run(
        ["wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket": socket_errors.group(1) if socket_errors else "",
    }


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        subprocess.run([str(ROOT / "scripts" / "install-system-deps.sh"), "--bench"], check=False)
        if shutil.which("wrk") is None:
            sys.exit("wrk is missing: run scripts/install-system-deps.sh --bench (Debian package wrk).")
    build_data(args)
    from hoiccb.news.models import Article

    deep = deep_cursor(args)
    slug = article_slug()
    count = Article.objects.filter(status="published").count()
    collectstatic(args)
    head = subprocess.run(["git", "log", "-1", "--format=%h"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    print(
        f"# news bench: {count:,} published articles, SQLite, gunicorn --workers {args.workers} (sync), "
        f"DEBUG=0; wrk -t1 -c{args.connections} -d{args.duration}s on loopback; {os.cpu_count()} cores; git {head}"
    )
    print(f"{'figure':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'× floor':>8}")
    figures = [
        ("cache", "/healthz floor (one SELECT 1, JSON)", "/healthz", '"ok"'),
        ("cache", "news list, page cache on", "/tin-tuc/", "Tin tức"),
        ("cache", "news list page 51 (keyset), cache on", f"/tin-tuc/?sau={deep}", "Tin cũ hơn"),
        ("cache", "source article, cache on", f"/tin-tuc/bai/{slug}/", "Bài viết mới nhất"),
        ("nocache", "news list, no page cache", "/tin-tuc/", "Tin tức"),
        ("nocache", "news list page 51 (keyset), no cache", f"/tin-tuc/?sau={deep}", "Tin cũ hơn"),
        ("nocache", "source article, no cache", f"/tin-tuc/bai/{slug}/", "Bài viết mới nhất"),
    ]
    floor = None
    verdicts = []
    for mode in ("cache", "nocache"):
        selected = [f for f in figures if f[0] == mode and args.only in f[1]]
        if not selected:
            continue
        server = Server(args, cache_seconds=60 if mode == "cache" else 0)
        try:
            for _, label, path, marker in selected:
                check_page(server.url + path, marker)
                result = run_wrk(server.url + path, args)
                if path == "/healthz":
                    floor = result["rps"]
                ratio = f"{result['rps'] / floor:8.2f}" if floor else f"{'':>8}"
                note = ""
                if result["errors"] or result["socket"]:
                    note = f"  !! {result['errors']} non-2xx, socket errors: {result['socket']}"
                if path.startswith("/tin-tuc/") and "list" in label and "page 51" not in label:
                    ok = result["rps"] >= TARGET_RPS
                    verdicts.append(ok)
                    note += f"  {'OK' if ok else 'MISS'} (target ≥ {TARGET_RPS:.0f} req/s)"
                print(
                    f"{label:<44} {result['rps']:8.0f} {result['p50']:8.2f} {result['p99']:8.2f} {ratio}{note}",
                    flush=True,
                )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
