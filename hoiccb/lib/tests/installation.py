"""A fresh installation for tests that run manage.py in another process.

The test database of pytest-django is invisible to another process on SQLite (it
lives in memory), so these tests build their own: a new SQLite file, or a new
PostgreSQL database next to the test database, plus a media folder and a cache
folder. Commands run with `manage(env, ...)`.
"""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def _base_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DEBUG="1",
        MEDIA_ROOT=str(folder / "media"),
        CACHE_DIR=str(folder / "cache"),
        DEMO_PASSWORD="hoiccb-demo",
    )
    return env


@contextmanager
def fresh_installation(folder: Path, *, migrate: bool = True) -> Iterator[dict[str, str]]:
    """Yield the environment of a new, empty installation (same database vendor as the tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = _base_env(folder)
    dropped = None
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.settings_dict
        name = f"{params['NAME']}_fresh_{uuid.uuid4().hex[:8]}"
        auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
        server = f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{server}/{name}"
        dropped = (server, name)
    else:
        env["DATABASE_URL"] = f"sqlite:///{folder / 'hoiccb.sqlite3'}"
    try:
        if migrate:
            manage(env, "migrate", "--no-input", "-v0")
        yield env
    finally:
        if dropped:
            import psycopg

            server, name = dropped
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run manage.py in the installation; raise with its output if it fails."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def python(env: dict[str, str], code: str, timeout: float = 120) -> str:
    """Run Python code in the installation (Django set up) and return what it printed."""
    return manage(env, "shell", "--no-imports", "-c", code, timeout=timeout).stdout
