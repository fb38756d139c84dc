"""Where depthcore keeps what it computes, and how it writes it without ever leaving a half file.

Cache root: `--depthcore-cache DIR` > `$DEPTHCORE_CACHE` > `~/.cache/depthcore`. Everything
written there or to `baselines/` goes through `atomic_path`: a temp file in the same
directory, fsync, then `os.replace`, so a crash leaves the previous file or none.
Concurrent writers of the same entry are serialised with `filelock` (pytest-xdist workers,
two CLI processes): the second waits and then reads what the first wrote.
"""

from __future__ import annotations

import contextlib
import functools
import glob
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


def _configured_root() -> Path:
    return _override or Path(os.environ.get("DEPTHCORE_CACHE") or Path.home() / ".cache" / "depthcore").expanduser()


def cache_root() -> Path:
    root = _configured_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OSError(
            f"cannot create the depthcore cache at {root} ({e.strerror}); "
            "point DEPTHCORE_CACHE or --depthcore-cache at a writable directory"
        ) from e
    return root


@functools.lru_cache(maxsize=None)
def source_hash(*modules: str) -> str:
    """Hash of depthcore's own source files (all of them when no module names are given).

    Part of every cache key, so editing the code that produced a result invalidates it.
    Computed once per process: the code a process runs is the code it imported.
    """
    pkg = Path(__file__).resolve().parent
    files = sorted(pkg.glob("*.py")) if not modules else [pkg / f"{m}.py" for m in modules]
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _fix_hint(path: Path) -> str:
    """How to get past an OSError writing `path`: free space, permissions, or another cache root."""
    try:
        in_cache = path.resolve().is_relative_to(_configured_root().resolve())
    except (OSError, RuntimeError):
        in_cache = False
    where = ("; or point DEPTHCORE_CACHE or --depthcore-cache at a writable directory with free space"
             if in_cache else "")
    return f"free space on that disk or make {path.parent} writable{where}"


def explain_write_error(e: OSError, path: str | os.PathLike) -> OSError:
    """The same kind of OSError as `e` (so callers' `except` clauses still match), its message
    naming the file, the cause and the fix. Returns `e` itself if its type cannot be rebuilt."""
    if isinstance(e, TimeoutError) or getattr(e, "_depthcore_explained", False):
        return e
    path = Path(path)
    msg = (f"could not write {path} ({e.strerror or e}); nothing was changed there (the previous file, if any, "
           f"is intact). Fix: {_fix_hint(path)}")
    try:
        new = type(e)(e.errno, msg) if e.errno is not None else type(e)(msg)
    except Exception:  # noqa: BLE001 - an OSError subclass with another signature: keep it as it is
        return e
    new._depthcore_explained = True
    return new


def _make_dirs(directory: Path) -> list[Path]:
    """mkdir -p `directory`; returns the directories it created, deepest first."""
    created = []
    d = directory
    while not d.exists() and d != d.parent:
        created.append(d)
        d = d.parent
    directory.mkdir(parents=True, exist_ok=True)
    return created


def _remove_empty(dirs: list[Path]) -> None:
    for d in dirs:  # deepest first
        try:
            d.rmdir()
        except OSError:
            break


def temp_prefix(dest: str | os.PathLike) -> str:
    """Name prefix of the temp files `atomic_path` makes for `dest` (`.<name>.XXXX.tmp`)."""
    return f".{Path(dest).name}."


def remove_stale_temps(dest: str | os.PathLike) -> list[Path]:
    """Delete temp files a killed writer of `dest` left beside it (SIGKILL skips `atomic_path`'s cleanup).

    Only safe when no other process is writing `dest` now: under `lock(dest)`, or for a
    baseline, which one test id writes.
    """
    dest = Path(dest)
    removed = []
    if dest.parent.is_dir():
        for p in dest.parent.glob(f"{glob.escape(temp_prefix(dest))}*.tmp"):
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike) -> Iterator[Path]:
    """Yield a temp path beside `dest`; on success fsync it and rename it over `dest`.

    On any exception the temp file (and any directory made for it) is removed and `dest`
    is left as it was; an OSError (disk full, read-only directory) is re-raised with a
    message that names the file and the fix. A SIGKILL leaves the temp file behind (named
    by `temp_prefix`), never a partial `dest`; `remove_stale_temps` clears it.
    """
    dest = Path(dest)
    created: list[Path] = []
    tmp = None
    done = False
    try:
        created = _make_dirs(dest.parent)
        fd, name = tempfile.mkstemp(prefix=temp_prefix(dest), suffix=".tmp", dir=dest.parent)
        os.close(fd)
        tmp = Path(name)
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; results and baselines are meant to be shared
        os.replace(tmp, dest)
        done = True
    except OSError as e:
        raise explain_write_error(e, dest) from e
    finally:
        if not done:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            _remove_empty(created)


class _Lock(filelock.FileLock):
    """`filelock.FileLock` whose failure to create its file (read-only or full cache) says how to fix it."""

    def acquire(self, *args, **kwargs):
        try:
            return super().acquire(*args, **kwargs)
        except filelock.Timeout:
            raise
        except OSError as e:
            raise explain_write_error(e, self.lock_file) from e


def lock(path: str | os.PathLike, timeout: float = -1) -> filelock.FileLock:
    """A file lock beside `path` (`<path>.lock`), for compute-once-under-lock."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise explain_write_error(e, str(path) + ".lock") from e
    return _Lock(str(path) + ".lock", timeout=timeout)
