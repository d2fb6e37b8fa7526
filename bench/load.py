"""The same bounded load against the cluster and against one machine: requests/s and p95 side by side.

    .venv/bin/python bench/load.py                     # `make bench-load` (starts the cluster first)
    .venv/bin/python bench/load.py --users 8 --seconds 20

Each of `--users` threads logs in (khoi, coso1, coso2, admin in turn) and, for `--seconds`,
browses the member list, searches it, opens a member's record, opens the dashboard, and
every tenth round saves a member's form unchanged (a real write: version, audit, access
log). Targets:

- cluster: the HAProxy of `make cluster` (two gunicorn processes, PostgreSQL through
  PgBouncer with a replica for the dashboard, Redis, the S3 store);
- one machine: one gunicorn process with the same workers and threads per process as one
  web process of the cluster, on the default settings (SQLite, file cache, local files), on
  a copy of the demo data built once under /tmp.

Both run on this same machine, so the cluster's extra processes compete for the same cores:
the figure shows what the extra moving parts cost here, not what more machines would give.
The load average is printed with each line.
"""

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import Browser

ROOT = Path(__file__).resolve().parent.parent
USERS = ["khoi", "coso1", "coso2", "admin"]
SEARCHES = ["nguyen", "tran van", "le thi", "hung", "lan", "pham"]


def one_user(url: str, username: str, barrier: threading.Barrier, until: list, out: list, errors: list) -> None:
    browser = Browser(url)
    logged_in = browser.login(username)  # Argon2 is slow on purpose: logins are not part of the figure
    barrier.wait()
    if not logged_in:
        errors.append(f"{username}: không đăng nhập được")
        return
    browser.times.clear()
    rng = random.Random(username)
    _, _, body = browser.get("/hoi-vien/")
    members = sorted(set(re.findall(r'href="/hoi-vien/(\d+)/"', body.decode())))
    rounds = 0
    while time.monotonic() < until[0]:
        rounds += 1
        statuses = [browser.get("/hoi-vien/")[0], browser.get(f"/hoi-vien/?q={quote(rng.choice(SEARCHES))}")[0]]
        if members:
            statuses.append(browser.get(f"/hoi-vien/{rng.choice(members)}/")[0])
        statuses.append(browser.get("/bao-cao/tong-quan/")[0])
        if members and rounds % 10 == 0:
            pk = rng.choice(members)
            fields = browser.form(f"/hoi-vien/{pk}/sua/", f"/hoi-vien/{pk}/sua/")
            statuses.append(browser.post(f"/hoi-vien/{pk}/sua/", fields)[0])
        errors.extend(f"{username}: HTTP {s}" for s in statuses if s >= 500)
    out.extend(browser.times)


def drive(url: str, users: int, seconds: float) -> dict:
    """Log every user in, then run the scenario for `seconds`; return requests/s, p50, p95 and the errors."""
    times: list[float] = []
    errors: list[str] = []
    until = [0.0]
    began = [0.0]

    def all_logged_in() -> None:
        began[0] = time.monotonic()
        until[0] = began[0] + seconds

    barrier = threading.Barrier(users, action=all_logged_in)
    threads = [
        threading.Thread(target=one_user, args=(url, USERS[i % len(USERS)], barrier, until, times, errors))
        for i in range(users)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began[0]
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(len(times) * q))] * 1000 if times else float("nan")  # noqa: E731
    return {"rps": len(times) / elapsed, "p50": pick(0.5), "p95": pick(0.95), "n": len(times), "errors": errors}


def wait_http(url: str, seconds: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"{url} không trả lời sau {seconds:.0f} s")


def single_machine(port: int, workers: int) -> subprocess.Popen:
    """One gunicorn on the default settings (SQLite, file cache, local files), on its own copy of the demo."""
    folder = Path("/tmp/hoiccb-load-single")  # noqa: S108 - a bench scratch folder
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CACHE_", "STORAGE_", "REPLICA_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY="load-bench-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        OTP_REQUIRED="0",
        DATABASE_URL=f"sqlite:///{folder}/hoiccb.sqlite3",
        MEDIA_ROOT=str(folder / "media"),
        CACHE_DIR=str(folder / "cache"),
        LOG_LEVEL="WARNING",
    )
    python = str(ROOT / ".venv/bin/python")
    if not (folder / "ready").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        subprocess.run([python, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        seed_env = {**env, "DEBUG": "1"}  # demo data is refused with DEBUG off
        subprocess.run([python, "manage.py", "seed_demo", "--if-empty"], cwd=ROOT, env=seed_env, check=True)
        (folder / "ready").touch()
    gunicorn = str(ROOT / ".venv/bin/gunicorn")
    return subprocess.Popen(
        [gunicorn, "hoiccb.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--threads", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def line(name: str, r: dict) -> str:
    load = os.getloadavg()[0]
    return (
        f"{name:<34} {r['rps']:7.1f} req/s  p50 {r['p50']:6.0f} ms  p95 {r['p95']:6.0f} ms  "
        f"({r['n']} requests, {len(r['errors'])} errors, load average {load:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--cluster-url", default=f"http://127.0.0.1:{os.environ.get('CLUSTER_HTTP_PORT', '18400')}")
    parser.add_argument("--single-port", type=int, default=18490)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("CLUSTER_GUNICORN_WORKERS", "2")))
    args = parser.parse_args()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    print(
        f"# bench/load.py · {args.users} users × {args.seconds:.0f} s · {os.cpu_count()} cores · git {head.strip()}",
        flush=True,
    )
    wait_http(args.cluster_url)
    cluster = drive(args.cluster_url, args.users, args.seconds)
    print(line("cluster (2 web, PgBouncer, replica)", cluster), flush=True)
    server = single_machine(args.single_port, args.workers)
    try:
        single_url = f"http://127.0.0.1:{args.single_port}"
        wait_http(single_url)
        single = drive(single_url, args.users, args.seconds)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(20)
    print(line("one machine (1 web, SQLite)", single), flush=True)
    ratio = cluster["rps"] / single["rps"] if single["rps"] else float("nan")
    print(f"cluster / one machine: × {ratio:.2f} requests/s")
    for error in (cluster["errors"] + single["errors"])[:5]:
        print(f"  ! {error}")


if __name__ == "__main__":
    main()
