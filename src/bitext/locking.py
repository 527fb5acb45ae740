"""One build at a time per index folder, under a lock the kernel drops when its holder dies.

The lock is a POSIX record lock (`fcntl.lockf`) on `index/build.lock`. Unlike
`flock`, a record lock is not inherited by the worker processes a build forks,
so a build killed with SIGKILL frees the index at once and the next one can run.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = "build.lock"

_held: set[str] = set()  # lock files this process holds, so that a nested build re-enters


@contextmanager
def build_lock(index: Path, wait: bool = True, on_wait: Callable[[], None] | None = None) -> Iterator[bool]:
    """Hold the build lock of `index` for the block; yields False, holding nothing, when it is busy and not `wait`.

    `on_wait` is called once before waiting for another process's build to end.
    The lock is re-entrant within a process: the CLI takes it (waiting) around
    a build whose own, non-waiting attempt then succeeds.
    """
    index.mkdir(parents=True, exist_ok=True)
    path = str((index / LOCK_FILE).resolve())
    if path in _held:
        yield True
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):  # anything but "another process holds it"
                raise
            if not wait:
                yield False
                return
            if on_wait is not None:
                on_wait()
            fcntl.lockf(fd, fcntl.LOCK_EX)
        _held.add(path)
        try:
            yield True
        finally:
            _held.discard(path)
    finally:
        os.close(fd)  # closing the descriptor releases the lock
