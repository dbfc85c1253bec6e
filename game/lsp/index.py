"""The language server's one door into the engine.

Everything the server needs from `game.engine` comes through here: parsing one file's
text with positions, the names of the condition language, which files make a story, and
the real loader and checker run over a story whose open documents override the files on
disk. When the engine grows a public reference index, this module is the one place to
switch to it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..engine.diagnostics import Diagnostic
from ..engine.expr import FUNCTIONS
from ..engine.loader import ID_RE, MANIFEST, MEMBER_EFFECTS, load_story
from ..engine.model import HAPPENINGS, PLAYER, STATUSES, WHO
from ..engine.yamlpos import PosLoader, YList, YMap, _Refused
from ..engine.yamlpos import _Builder as _YamlBuilder

__all__ = [
    "FUNCTIONS",
    "HAPPENINGS",
    "ID_RE",
    "MANIFEST",
    "MEMBER_EFFECTS",
    "PLAYER",
    "STATUSES",
    "WHO",
    "YList",
    "YMap",
    "check_with_overlays",
    "find_root",
    "parse_text",
    "story_files",
]

TESTS_DIR = "tests"


def parse_text(text: str) -> Any:
    """One file's text -> YMap/YList data with positions, or None if it does not parse
    (a buffer being typed is often not valid YAML for a moment)."""
    import yaml

    if text.startswith("\ufeff"):
        text = text[1:]
    loader = PosLoader(text)
    builder = _YamlBuilder(loader, track="&" in text)
    try:
        node = loader.get_single_node()
        return builder.build(node) if node is not None else None
    except (_Refused, yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def find_root(path: str) -> str | None:
    """The story folder a file belongs to: the nearest folder above it with a manifest."""
    here = Path(path).resolve().parent
    for folder in (here, *here.parents):
        if (folder / MANIFEST).is_file():
            return os.fspath(folder)
    return None


def story_files(root: str) -> tuple[list[str], list[str]]:
    """(the manifest and the scene files, the story test files), as absolute paths, in the
    loader's order. Symlinks are not followed (the loader refuses those that lead out)."""
    files: list[str] = []
    tests: list[str] = []
    manifest = os.path.join(root, MANIFEST)
    if os.path.isfile(manifest):
        files.append(manifest)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        in_tests = rel.split(os.sep)[0] == TESTS_DIR
        for name in sorted(filenames):
            if not name.endswith((".yaml", ".yml")):
                continue
            full = os.path.join(dirpath, name)
            if full == manifest:
                continue
            (tests if in_tests else files).append(full)
    return files, tests


def is_test_file(root: str, path: str) -> bool:
    return os.path.relpath(path, root).split(os.sep)[0] == TESTS_DIR


def check_with_overlays(root: str, overlays: Mapping[str, str]) -> list[Diagnostic]:
    """`hyosan check` on the story at `root`, with `overlays` (absolute path -> text) in
    place of what is on disk. Diagnostics name the real files (absolute paths).

    The loader reads files, so a story with unsaved buffers is checked in a shadow copy:
    the same relative paths (so the same messages and digest), `display_root` pointing
    back at the real folder."""
    root = os.path.abspath(root)
    changed = {p: t for p, t in overlays.items() if _differs(p, t) and not is_test_file(root, p)}
    if not changed:
        return load_story(root, display_root=root).diagnostics
    with tempfile.TemporaryDirectory(prefix="hyosan-lsp-") as tmp:
        shadow = os.path.join(tmp, "story")
        shutil.copytree(root, shadow, symlinks=True, ignore=_not_story(root))
        for path, text in changed.items():
            target = os.path.join(shadow, os.path.relpath(path, root))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        return load_story(shadow, display_root=root).diagnostics


def _not_story(root: str) -> Any:
    def ignore(folder: str, names: list[str]) -> list[str]:
        return [
            n
            for n in names
            if (folder == root and n == TESTS_DIR)
            or (not n.endswith((".yaml", ".yml")) and not os.path.isdir(os.path.join(folder, n)))
        ]

    return ignore


def _differs(path: str, text: str) -> bool:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read() != text
    except (OSError, UnicodeDecodeError):
        return True
