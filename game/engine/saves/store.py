"""Where saves live: slot names, atomic writes with a `.bak` of the previous version,
reading a file (pointing at the backup when it is damaged) and finding a save by name."""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import time
from pathlib import Path

from .file_format import Run, SaveError, encode_run, loads_run

AUTOSAVE = "autosave"
SUFFIX = ".json"
BACKUP_SUFFIX = ".json.bak"
MAX_SAVE_BYTES = 32 * 1024 * 1024
_STALE_TEMP_SECONDS = 120.0

_SLOT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}")


# -- slot names -----------------------------------------------------------------------


def check_slot_name(name: str) -> str:
    """The name, or SaveError: a slot is a plain name inside the saves folder, never a path."""
    if not isinstance(name, str) or not name:
        raise SaveError("a save slot needs a name")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise SaveError(f"slot name {name!r} contains a control character")
    if "/" in name or "\\" in name or os.sep in name:
        raise SaveError(f"slot name {name!r} is a path: give a plain name, like 'before-the-roof'")
    if ".." in name:
        raise SaveError(f"slot name {name!r} contains '..'")
    if len(name) > 64:
        raise SaveError(f"slot name {name[:20]!r}... is too long ({len(name)} characters, at most 64)")
    if not _SLOT.fullmatch(name):
        raise SaveError(
            f"slot name {name!r} is not allowed: start with a letter or digit, then use "
            "letters, digits, spaces, '_', '.' or '-'"
        )
    return name


def slot_path(saves_dir: Path, slot: str) -> Path:
    return Path(saves_dir) / (check_slot_name(slot) + SUFFIX)


def load_run(path: Path) -> Run:
    """Read and validate a save file: a Run, or SaveError (one line) if it is damaged.
    Only a regular file is read: a FIFO or a device (`/dev/zero`, `<(...)`) is refused
    instead of being read forever."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO without a writer must not wait; the file's kind is
        # then checked on the open descriptor, so it cannot change in between
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise SaveError(f"{path}: no such save") from None
    except IsADirectoryError:
        raise SaveError(f"{path}: is a folder, not a save") from None
    except OSError as exc:
        raise SaveError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        kind = os.fstat(fd).st_mode
        if stat.S_ISDIR(kind):
            raise SaveError(f"{path}: is a folder, not a save")
        if not stat.S_ISREG(kind):
            raise SaveError(f"{path}: not a regular file (a pipe or a device?), not a save")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with open(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_SAVE_BYTES + 1)
    except OSError as exc:
        raise SaveError(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_SAVE_BYTES:
        raise SaveError(f"{path}: too large for a save (over {MAX_SAVE_BYTES // (1024 * 1024)} MB)")
    try:
        return loads_run(raw, str(path))
    except SaveError as exc:
        backup = _backup_path(path)
        if backup.is_file():
            raise SaveError(f"{exc} (the previous version is in {backup.name})") from None
        raise


def _backup_path(path: Path) -> Path:
    name = path.name[: -len(SUFFIX)] if path.name.endswith(SUFFIX) else path.name
    return path.with_name(name + BACKUP_SUFFIX)


# -- writing, atomically --------------------------------------------------------------


def _write_error(target: Path, exc: OSError) -> SaveError:
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "the saves folder is read-only"
    elif code in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full"
    else:
        why = exc.strerror or str(exc)
    return SaveError(f"cannot save {target.name} in {target.parent}: {why}")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # some systems cannot open folders; the replace itself is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temp(folder: Path, stem: str, pieces: list[bytes]) -> Path:
    """A new file next to the target with the `pieces` one after another, flushed and
    fsynced. (Pieces, so a long run's save is never joined into one copy first.)"""
    tmp = folder / f".{stem}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        for piece in pieces:
            view = memoryview(piece)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink(tmp)
        raise
    os.close(fd)
    return tmp


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _keep_backup(target: Path, backup: Path) -> None:
    """Make `backup` the current `target`'s content without ever removing `target`:
    a hard link when the file system has them, a fsynced copy otherwise."""
    link = target.with_name(f".{backup.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        os.link(target, link)
    except FileNotFoundError:
        return
    except OSError:
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            return
        link = _write_temp(target.parent, backup.name, [data])
    try:
        os.replace(link, backup)
    except BaseException:
        _unlink(link)
        raise
    # When `backup` already was a hard link to `target` (left by a kill or by two
    # writers), rename() between two names of one file does nothing and leaves `link`.
    _unlink(link)


def _sweep_temps(folder: Path, stem: str) -> None:
    """Remove temp files that killed writers left behind (old enough not to be in use)."""
    now = time.time()
    try:
        leftovers = list(folder.glob(f".{glob_escape(stem)}*.tmp"))
    except OSError:
        return
    for tmp in leftovers:
        try:
            if now - tmp.stat().st_mtime > _STALE_TEMP_SECONDS:
                tmp.unlink()
        except OSError:
            pass


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def save_run(saves_dir: Path, slot: str, run: Run) -> Path:
    """Write `run` to the slot atomically and keep the previous version as `<slot>.json.bak`.

    A crash at any moment leaves the slot's file whole: the old save or the new one.
    A read-only or full folder raises SaveError; nothing already saved is touched."""
    target = slot_path(saves_dir, slot)
    folder = target.parent
    _refuse_odd_files(target)
    claim_slot(saves_dir, slot)
    pieces = encode_run(run)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"cannot create the saves folder {folder}: {exc.strerror or exc}") from None
    tmp: Path | None = None
    try:
        tmp = _write_temp(folder, target.name, pieces)
        _keep_backup(target, _backup_path(target))
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise _write_error(target, exc) from None
    finally:
        if tmp is not None:
            _unlink(tmp)
    _fsync_dir(folder)
    _sweep_temps(folder, target.name)
    return target


def _refuse_odd_files(target: Path) -> None:
    """A slot (or its backup) that is a FIFO, a device or a folder is not written over."""
    for path in (target, _backup_path(target)):
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            raise SaveError(f"cannot save to {path}: not a regular file (a pipe, a device or a folder?)")


# -- one writer a slot -------------------------------------------------------------------
#
# Two processes saving to one slot would take turns overwriting each other's run. The
# first save a process makes to a slot claims it: an exclusive flock on
# `.<slot>.lock` held until the process exits (or `release_slot`). Another process's save
# to that slot is refused with one line; the claim dies with its process, so a killed
# game leaves no stale lock behind. (No flock on Windows: no claim there.)

_CLAIMS: dict[Path, int] = {}
_MAX_CLAIMS = 64


def _lock_path(saves_dir: Path, slot: str) -> Path:
    return Path(saves_dir) / f".{check_slot_name(slot)}.lock"


def claim_slot(saves_dir: Path, slot: str) -> None:
    """Make this process the slot's one writer, or SaveError if another process is."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    try:
        Path(saves_dir).mkdir(parents=True, exist_ok=True)
        path = _lock_path(saves_dir, slot).resolve()
        if path in _CLAIMS:
            return
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return  # a read-only folder: the write itself will say so
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise SaveError(
            f"slot {slot!r} is in use by another Hyosan process; save to another slot or close that game"
        ) from None
    if len(_CLAIMS) >= _MAX_CLAIMS:  # a long test run, not a game: keep the newest claims
        os.close(_CLAIMS.pop(next(iter(_CLAIMS))))
    _CLAIMS[path] = fd


def release_slot(saves_dir: Path, slot: str) -> None:
    """Give up this process's claim on the slot (when a run moves to another slot)."""
    try:
        path = _lock_path(saves_dir, slot).resolve()
    except (SaveError, OSError):
        return
    fd = _CLAIMS.pop(path, None)
    if fd is not None:
        os.close(fd)


def slot_in_use(saves_dir: Path, slot: str) -> bool:
    """True when another process holds the slot."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return False
    path = _lock_path(saves_dir, slot)
    if not path.exists() or path.resolve() in _CLAIMS:
        return False
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def find_save(saves_dir: Path, name: str) -> Path:
    """`hyosan replay SAVE`: SAVE is a path to a file, or a slot name in the saves folder."""
    as_path = Path(name)
    if "/" in name or os.sep in name or name.endswith(SUFFIX):
        return as_path
    try:
        slot = slot_path(saves_dir, name)
    except SaveError:
        if as_path.is_file():
            return as_path
        raise
    if not slot.is_file() and as_path.is_file():
        return as_path  # a save file in the current folder, named without .json
    return slot
