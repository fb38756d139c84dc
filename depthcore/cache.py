"""Where depthcore keeps what it computes, and how it writes it without ever leaving a half file.

Cache root: `--depthcore-cache DIR` > `$DEPTHCORE_CACHE` > `~/.cache/depthcore`. Everything
written there or to `baselines/` goes through `atomic_path`: a temp file in the same
directory, fsync, then `os.replace`, so a crash leaves the previous file or none.
Concurrent writers of the same entry are serialised with `filelock` (pytest-xdist workers,
two CLI processes): the second waits and then reads what the first wrote.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

import filelock

_override: Path | None = None  # set by the pytest plugin's --depthcore-cache


def set_cache_root(path: str | os.PathLike | None) -> None:
    global _override
    _override = Path(path).expanduser() if path else None


def cache_root() -> Path:
    root = _override or Path(os.environ.get("DEPTHCORE_CACHE") or Path.home() / ".cache" / "depthcore").expanduser()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OSError(
            f"cannot create the depthcore cache at {root} ({e.strerror}); "
            "point DEPTHCORE_CACHE or --depthcore-cache at a writable directory"
        ) from e
    return root


def source_hash(*modules: str) -> str:
    """Hash of depthcore's own source files (all of them when no module names are given).

    Part of every cache key, so editing the code that produced a result invalidates it.
    """
    pkg = Path(__file__).resolve().parent
    files = sorted(pkg.glob("*.py")) if not modules else [pkg / f"{m}.py" for m in modules]
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike) -> Iterator[Path]:
    """Yield a temp path beside `dest`; on success fsync it and rename it over `dest`.

    On any exception the temp file is removed and `dest` is left as it was.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; results and baselines are meant to be shared
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def lock(path: str | os.PathLike, timeout: float = -1) -> filelock.FileLock:
    """A file lock beside `path` (`<path>.lock`), for compute-once-under-lock."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return filelock.FileLock(str(path) + ".lock", timeout=timeout)
