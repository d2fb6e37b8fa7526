"""Run a parser over untrusted bytes in a child process with a memory and time limit.

A spreadsheet can declare a sheet of 1,048,576 × 16,384 cells in 5 KB and make a
reader allocate hundreds of gigabytes; a crafted document can do the same to a
Word or zip reader. Parsed in the web process or the worker, such a file aborts
the whole instance. Parsed here, only a forked child dies: it runs with an
address-space limit (``RLIMIT_AS``) a set amount above what the parent already
maps, and a CPU and wall-clock limit, and the caller gets ``LimitExceeded``.

The child is forked, so it inherits the parser's imports and costs no start-up;
it never touches the database (the inherited connections are left alone and the
child leaves through ``os._exit``, so nothing is closed under the parent).
"""

import contextlib
import faulthandler
import multiprocessing
import os
import resource
import signal
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings


class LimitExceeded(Exception):
    """The child ran out of memory or time, or died; the input is refused."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "memory", "time" or "crash"


class ChildError(Exception):
    """The parser raised an exception in the child; ``kind`` names its class."""

    def __init__(self, kind: str, message: str, args: tuple = ()):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.exc_args = args


def _mapped_bytes() -> int:
    """The address space this process maps now (VmSize), so the child's limit is relative."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(conn, func: Callable, args: tuple, memory_bytes: int, seconds: int) -> None:
    faulthandler.disable()  # a refused allocation aborts; the parent reports it, not a C traceback
    try:
        limit = _mapped_bytes() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = max(1, seconds)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        try:
            result = func(*args)
        except MemoryError:
            conn.send(("memory", None))
            return
        except Exception as exc:
            safe_args = tuple(a for a in exc.args if isinstance(a, str | int | float))
            conn.send(("error", (type(exc).__name__, str(exc), safe_args, traceback.format_exc(limit=5))))
            return
        conn.send(("ok", result))
    except MemoryError:
        # Nothing left to report with if this fails too; the parent then sees a dead child.
        with contextlib.suppress(Exception):
            conn.send(("memory", None))
    finally:
        conn.close()
        os._exit(0)


def run_limited(
    func: Callable[..., Any],
    *args: Any,
    memory_bytes: int | None = None,
    seconds: int | None = None,
) -> Any:
    """Return ``func(*args)`` computed in a forked child under memory and time limits.

    ``func`` and its result must be picklable plain data (lists, strings,
    numbers, dates). Raises ``LimitExceeded`` when the child runs out of memory
    or time or dies (a Rust reader aborts on a failed allocation), and
    ``ChildError`` when ``func`` raised.
    """
    memory = memory_bytes or settings.UNTRUSTED_PARSE_MEMORY_BYTES
    limit_seconds = seconds or settings.UNTRUSTED_PARSE_SECONDS
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(sender, func, args, memory, limit_seconds), daemon=True)
    process.start()
    sender.close()
    try:
        # Read before joining: a large result fills the pipe and the child waits for us.
        if not receiver.poll(limit_seconds + 5):
            raise LimitExceeded("time")
        try:
            status, payload = receiver.recv()
        except (EOFError, OSError):
            process.join(5)
            if process.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
                raise LimitExceeded("time") from None
            # SIGABRT/SIGSEGV after a refused allocation, or any other death.
            raise LimitExceeded("memory" if process.exitcode == -signal.SIGABRT else "crash") from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status == "memory":
        raise LimitExceeded("memory")
    if status == "error":
        kind, message, exc_args, _trace = payload
        raise ChildError(kind, message, exc_args)
    return payload
