"""One update at a time per data directory: an exclusive, non-blocking lock on a file beside the data.

The lock is held by the kernel (flock), so a killed update (even kill -9) releases it at once; no stale lock
file has to be cleaned up by hand. A second update that finds the lock taken changes nothing and says who holds it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".govreq-update.lock"


class UpdateAlreadyRunning(RuntimeError):
    pass


@contextmanager
def update_lock(data_dir: Path) -> Iterator[None]:
    path = data_dir / LOCK_NAME
    if not data_dir.exists():
        data_dir.mkdir(parents=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown process"
            raise UpdateAlreadyRunning(
                f"another govreq update is running on {data_dir} ({holder}); nothing was changed. "
                "Wait for it to finish, or stop it, and run again."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the flock
