"""Paths built from data, and files read from outside: the file-system boundary.

- `inside(folder, relative)`: the path `folder/relative`, resolved (symbolic links
  followed) and checked to lie inside `folder`, for every path the tool builds from
  data before it writes there (a variant tree's files are named by its doc ids). A
  path that would leave the folder (`../x`, an absolute path, a link pointing out) is
  one `BenchError` line and nothing is written.
- `open_regular(path)` and `read_regular(path, limit)`: open a file for reading only
  when it is a regular file, checked on the open file itself before a byte is read, so
  a FIFO (which would block until a writer comes) or a device (`/dev/zero`, which
  never ends) is refused as an `OSError` whose `strerror` says what it is; callers
  already turn an `OSError` into their one line. `read_regular` also refuses a file
  longer than `limit` bytes without reading more than `limit + 1` of them.

Where it sits: shared infrastructure at the top of `bench/`, like `bench/atomic.py`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from bench.errors import BenchError


def inside(folder: Path, relative: str | Path) -> Path:
    """`folder / relative`, refused (one line) unless it resolves to a path inside `folder`."""
    base = Path(folder).resolve()
    target = (base / relative).resolve()
    if target == base or base not in target.parents:
        raise BenchError(f"{folder}: refusing to write {relative}: the path leads outside the folder")
    return target


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path: Path) -> BinaryIO:
    """A binary handle on `path`; `OSError` when it is not a regular file (nothing read)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)  # non-blocking: opening a FIFO does not wait for a writer
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"{_kind(mode)}, not a regular file; only regular files are read", str(path))
        if hasattr(os, "set_blocking") and getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, at most `limit` of them (`OSError` when there are more)."""
    with open_regular(path) as handle:
        data = handle.read() if limit is None else handle.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit:,} bytes, the most this file may hold", str(path))
    return data
