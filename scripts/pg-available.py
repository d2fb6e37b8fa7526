"""Exit 0 when the PostgreSQL server named by DATABASE_URL answers, 1 otherwise."""

import os
import sys

import dj_database_url
import psycopg

config = dj_database_url.parse(os.environ["DATABASE_URL"])
try:
    psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=3,
    ).close()
except psycopg.OperationalError as exc:
    print(f"PostgreSQL không trả lời ({exc.__class__.__name__}).", file=sys.stderr)
    sys.exit(1)
