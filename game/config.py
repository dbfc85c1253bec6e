"""The player's config file: a small TOML file read with `tomllib`.

    # ~/.config/hyosan/config.toml (see `paths.config_path()`)
    theme = "textual-light"      # the TUI's colours; ctrl+t (or the palette) changes it
    saves = "~/hyosan-saves"     # the saves folder when neither --saves nor $HYOSAN_SAVES

A missing file is the defaults. A broken one (bad TOML, a wrong type, an unknown key)
costs one line on stderr and the defaults for what is wrong, never a traceback. Writing
(`remember`) changes one `key = value` line in place, so comments stay, and replaces the
file atomically; a file that does not parse is never overwritten.

Imports only the standard library: every command may read it.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .paths import config_path

# key -> what it means (for messages and the README)
KEYS = {
    "theme": "the TUI's colour theme, e.g. textual-dark or textual-light",
    "saves": "the saves folder (a path; ~ is your home)",
}


@dataclass(frozen=True)
class Config:
    path: Path
    theme: str | None = None
    saves: Path | None = None


_cache: dict[Path, Config] = {}


def load_config(path: Path | None = None, *, warn: bool = True) -> Config:
    """The config at `path` (default: `config_path()`), read once per process. Problems
    go to stderr as one line each (when `warn`) and leave that setting at its default."""
    path = path or config_path()
    if path in _cache:
        return _cache[path]
    config, problems = read_config(path)
    if warn:
        for problem in problems:
            print(f"hyosan: {problem}", file=sys.stderr)
    _cache[path] = config
    return config


def read_config(path: Path) -> tuple[Config, list[str]]:
    """The config and the problems found in it (each `path[:line:col]: message`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path), []
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Config(path), [f"{path}: cannot read the config ({why}); using the defaults"]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Config(path), [f"{_where(path, str(exc))}; using the defaults"]
    problems: list[str] = []
    theme: str | None = None
    saves: Path | None = None
    for key, value in data.items():
        if key not in KEYS:
            problems.append(f"{path}: unknown setting {key!r} ignored (known: {', '.join(KEYS)})")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: {key} must be a non-empty string; using the default")
        elif key == "theme":
            theme = value.strip()
        elif key == "saves":
            saves = Path(value).expanduser()
            if not saves.is_absolute():
                saves = path.parent / saves
    return Config(path, theme=theme, saves=saves), problems


def _where(path: Path, message: str) -> str:
    # tomllib says "... (at line 3, column 5)"; make it path:line:col: message
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        return f"{path}:{found[1]}:{found[2]}: {message[: found.start()]}"
    return f"{path}: {message}"


def remember(key: str, value: str, path: Path | None = None) -> str | None:
    """Set `key = "value"` in the config file, creating it if need be. Returns None, or
    a one-line reason it was not written (the file is then untouched)."""
    if key not in KEYS:
        raise ValueError(f"unknown setting {key!r}")
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot read {path}: {exc}"
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return f"not saved: {_where(path, str(exc))}"
    line = f"{key} = {_toml_string(value)}"
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=.*$", re.MULTILINE)
    # only top-level keys are ours: a table header ends the part we may edit
    table = re.search(r"^[ \t]*\[", text, re.MULTILINE)
    head_end = table.start() if table else len(text)
    found = pattern.search(text, 0, head_end)
    if found:
        new = text[: found.start()] + line + text[found.end() :]
    else:
        head = text[:head_end]
        if head and not head.endswith("\n"):
            head += "\n"
        new = head + line + "\n" + ("\n" + text[head_end:] if text[head_end:] else "")
    try:
        if tomllib.loads(new).get(key) != value:
            return f"not saved: cannot set {key} in {path} without rewriting it"
    except tomllib.TOMLDecodeError:
        return f"not saved: cannot set {key} in {path} without rewriting it"
    error = write_atomic(path, new)
    if error is None:
        _cache.pop(path, None)
    return error


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def write_atomic(path: Path, text: str) -> str | None:
    """Write through a temporary file in the same folder and `os.replace`: a reader sees
    the old file or the new one, never half of one. None, or why it failed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        return f"cannot write {path}: {exc.strerror or exc}"
    return None
