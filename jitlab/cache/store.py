"""The cache folder: private, atomic, locked, checksummed, size-limited PIXIE entries.

Layout: `<root>/<qualname>-<hash of module and qualname>/<digest>.pixie`, and next to a function's
entries the object code of its dispatcher's native entries (`<hash of name>.dispatch`: a
container of the name, the code and its symbols, see `jitlab.cache.CachedObjects`); the shared
wrapper helpers' code is such a file in `<root>/_runtime_-<hash>/`.  Those count towards the size
limit and go with `clear` like entries but are not listed.  Writers take an
exclusive `fcntl` lock on `<root>/.lock`, write a temporary file in the entry's folder, fsync it
and `os.replace` it into place (then evict least-recently-used entries past the size limit, and
temporary files an hour old: a writer killed before renaming its file leaves one);
readers take no lock and see either no file or a whole one.  A file that is not the user's, is
writable by group or others, or fails a checksum is never loaded.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jitlab.pixie.container import PixieFormatError, read_container, write_container
from jitlab.pixie.reader import Pixie

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no cross-process lock
    fcntl = None

SUFFIX = ".pixie"
OBJECT_SUFFIX = ".dispatch"
ALL_SUFFIXES = (SUFFIX, OBJECT_SUFFIX)
DEFAULT_SIZE_LIMIT = 512 * 2**20
RESCAN_WRITES = 64  # writes between two full scans of the folder (see CacheStore.write)
STALE_TEMPORARY_S = 3600.0  # a writer's temporary file this old is left from a killed process


class CacheWarning(UserWarning):
    """A cache entry was refused or discarded (corrupt, foreign, unsafe); the kernel recompiles."""


@dataclass(frozen=True)
class EntryInfo:
    path: Path
    function: str
    signature: str
    size: int
    mtime: float
    digest: str


def function_folder(module: str, qualname: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.]+", "_", qualname.replace("<locals>.", ""))[:60]
    return f"{slug}-{hashlib.sha256(f'{module}:{qualname}'.encode()).hexdigest()[:12]}"


class CacheStore:
    def __init__(self, root: str | os.PathLike, size_limit: int = DEFAULT_SIZE_LIMIT):
        self.root = Path(root)
        self.size_limit = size_limit
        # The folder's size as of this store's last full scan plus what it wrote since: a write
        # scans (and evicts) only when that passes the limit or after RESCAN_WRITES writes (to
        # count other processes' entries), not every time: a scan stats every entry.
        self._known_size: int | None = None
        self._writes_since_scan = 0

    def __repr__(self) -> str:
        return f"CacheStore({str(self.root)!r})"

    # -- paths -----------------------------------------------------------------------------
    def folder(self, module: str, qualname: str) -> Path:
        return self.root / function_folder(module, qualname)

    def path(self, module: str, qualname: str, digest: str) -> Path:
        return self.folder(module, qualname) / f"{digest}{SUFFIX}"

    def _ensure(self, folder: Path) -> None:
        for d in (self.root, folder):
            if not d.is_dir():
                d.mkdir(mode=0o700, parents=True, exist_ok=True)
                os.chmod(d, 0o700)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self._ensure(self.root)
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    # -- reading ---------------------------------------------------------------------------
    def read(self, path: Path, digest: str | None = None) -> Pixie | None:
        """The entry at `path`, or None if absent; a bad entry warns, is removed, and reads as None."""
        data = _read_private(path)
        if data is None:
            return None
        try:
            pixie = Pixie.parse(data)
            if digest is not None and pixie.meta.get("key", {}).get("digest") != digest:
                raise PixieFormatError("entry holds a different key than its name says")
        except PixieFormatError as exc:
            _discard(path, exc)
            return None
        _touch(path)
        return pixie

    def object_path(self, module: str, qualname: str, name: str) -> Path:
        digest = hashlib.sha256(name.encode()).hexdigest()[:32]
        return self.folder(module, qualname) / f"{digest}{OBJECT_SUFFIX}"

    def read_object(self, path: Path, name: str) -> tuple[bytes, tuple[str, ...]] | None:
        """The object code stored under `name` at `path` and the symbols it defines (checked like
        an entry), or None."""
        data = _read_private(path)
        if data is None:
            return None
        try:
            sections = read_container(data)
            if sections.get("name") != name.encode() or "obj" not in sections or "symbols" not in sections:
                raise PixieFormatError("file holds other code than its name says")
            symbols = tuple(sections["symbols"].decode().split("\n"))
        except (PixieFormatError, UnicodeDecodeError) as exc:
            _discard(path, exc)
            return None
        _touch(path)
        return sections["obj"], symbols

    def write_object(self, path: Path, name: str, data: bytes, symbols: tuple[str, ...]) -> None:
        self.write(path, write_container({"name": name.encode(), "obj": data,
                                          "symbols": "\n".join(symbols).encode()}))

    def siblings(self, module: str, qualname: str, signature: str) -> list[Pixie]:
        """Other entries of the same function and signature, newest first (to explain a miss)."""
        folder = self.folder(module, qualname)
        if not folder.is_dir():
            return []
        found = []
        for path, _ in sorted(_entries_in(folder), key=lambda e: e[1].st_mtime, reverse=True):
            pixie = self.read(path)
            if pixie is not None and pixie.meta.get("key", {}).get("signature") == signature:
                found.append(pixie)
        return found

    # -- writing ---------------------------------------------------------------------------
    def write(self, path: Path, data: bytes) -> None:
        """Atomically put `data` at `path` (temp file, fsync, rename), then evict past the limit."""
        with self.lock():
            self._ensure(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, 0o600)
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            known = self._known_size
            if known is None or known + len(data) > self.size_limit \
                    or self._writes_since_scan >= RESCAN_WRITES:
                self._evict()
            else:
                self._known_size = known + len(data)
                self._writes_since_scan += 1

    def _evict(self) -> None:
        self._remove_stale_temporaries()
        entries = sorted(self._files(), key=lambda p: p[1].st_mtime)
        total = sum(st.st_size for _, st in entries)
        for path, st in entries:
            if total <= self.size_limit:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= st.st_size
        self._known_size, self._writes_since_scan = total, 0

    def _remove_stale_temporaries(self) -> None:
        """Temporary files of writers that were killed before renaming them (never read as entries)."""
        if not self.root.is_dir():
            return
        limit = time.time() - STALE_TEMPORARY_S
        for folder in self.root.iterdir():
            if folder.is_dir():
                for path in folder.glob(".tmp-*"):
                    with contextlib.suppress(OSError):
                        if path.stat().st_mtime < limit:
                            path.unlink()

    def _files(self, suffixes: tuple[str, ...] = ALL_SUFFIXES) -> list[tuple[Path, os.stat_result]]:
        """Every file of the cache (entries and dispatch objects), or those with `suffixes`."""
        if not self.root.is_dir():
            return []
        return [entry for folder in self.root.iterdir() if folder.is_dir()
                for entry in _entries_in(folder, suffixes)]

    # -- listing ---------------------------------------------------------------------------
    def entries(self) -> list[EntryInfo]:
        out = []
        for path, st in self._files((SUFFIX,)):
            try:
                meta = Pixie.parse(path.read_bytes()).meta
            except (OSError, PixieFormatError):
                out.append(EntryInfo(path, "<corrupt>", "", st.st_size, st.st_mtime, ""))
                continue
            fn = meta["functions"][0]
            out.append(EntryInfo(path, meta.get("key", {}).get("qualname", fn["name"]),
                                 f"({', '.join(fn['argtypes'])}) -> {fn['rettype']}",
                                 st.st_size, st.st_mtime, meta.get("key", {}).get("digest", "")))
        return sorted(out, key=lambda e: (e.function, e.signature, -e.mtime))

    def clear(self) -> int:
        """Remove every entry (and dispatch object); return how many entries."""
        return self._remove(self._files)

    def remove_function(self, module: str, qualname: str) -> int:
        """Remove every entry of one function (all signatures); return how many."""
        folder = self.folder(module, qualname)
        return self._remove(lambda: _entries_in(folder, ALL_SUFFIXES) if folder.is_dir() else [])

    def _remove(self, listing: Callable[[], list[tuple[Path, os.stat_result]]]) -> int:
        n = 0
        with self.lock():
            for path, _ in listing():
                with contextlib.suppress(OSError):
                    path.unlink()
                    n += path.suffix == SUFFIX  # (dispatch objects go with their entries, uncounted)
        return n


def _entries_in(folder: Path, suffixes: tuple[str, ...] = (SUFFIX,)) -> list[tuple[Path, os.stat_result]]:
    """The entries of one function's folder with their stat: never a writer's temp file, and
    never a file that vanished while listing (readers take no lock, writers rename under them)."""
    out = []
    for suffix in suffixes:
        for path in folder.glob(f"*{suffix}"):
            if not path.name.startswith(".tmp-"):
                with contextlib.suppress(OSError):
                    out.append((path, path.stat()))
    return out


def _read_private(path: Path) -> bytes | None:
    """The bytes of the file at `path`; None if absent, or (with a warning) if it is not this
    user's or others may write it: loading cached code runs it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        st = os.fstat(fd)
        foreign = hasattr(os, "getuid") and st.st_uid != os.getuid()
        if foreign or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            warnings.warn(f"jitlab cache: refusing {path}: not owned by this user or writable by others",
                          CacheWarning, stacklevel=4)
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


def _discard(path: Path, exc: Exception) -> None:
    warnings.warn(f"jitlab cache: discarding {path}: {exc}; recompiling", CacheWarning, stacklevel=4)
    with contextlib.suppress(OSError):
        path.unlink()


def _touch(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.utime(path)  # least-recently-used order


def entry_meta_key(components: dict[str, str], digest: str, qualname: str, module: str) -> dict:
    return {"digest": digest, "qualname": qualname, "module": module,
            "signature": components.get("signature", ""), "components": components}
