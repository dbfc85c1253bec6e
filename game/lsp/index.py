"""The language server's one door into the engine.

Everything the server needs from `game.engine` comes through here: parsing one file's
text with positions, the names of the condition language and the effect table, which
files make a story, and the real loader and checker run over a story whose open
documents override the files on disk.

The loader's public index of references (`LoadResult.references`) is whole-story and
keeps one position per YAML node (a paragraph, not the `{on-jo}` inside it); an editor
needs the exact span of each name and must re-index one file per keystroke, not load the
story. So `walk.py` keeps its own per-file index, and the tests hold it to the loader's:
`load_references` gives the loader's view to compare with.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..engine import effects as _effects
from ..engine.diagnostics import Diagnostic
from ..engine.expr import FUNCTIONS
from ..engine.loader import References, load_story
from ..engine.loader.files import MANIFEST
from ..engine.loader.reader import ID_RE
from ..engine.model import HAPPENINGS, PLAYER, STATUSES, WHO
from ..engine.quantifiers import DOCS as QUANTIFIER_DOCS
from ..engine.quantifiers import WORDS as QUANTIFIER_WORDS
from ..engine.yamlpos import PosLoader, YList, YMap, _Refused
from ..engine.yamlpos import _Builder as _YamlBuilder

__all__ = [
    "FUNCTIONS",
    "HAPPENINGS",
    "ID_RE",
    "MANIFEST",
    "EFFECT_ARGS",
    "References",
    "PLAYER",
    "QUANTIFIER_DOCS",
    "QUANTIFIER_WORDS",
    "STATUSES",
    "WHO",
    "YList",
    "YMap",
    "check_with_overlays",
    "load_references",
    "find_root",
    "parse_text",
    "story_files",
]

TESTS_DIR = "tests"

# effect key -> (the kind of name its argument holds, "write" if it changes that name),
# from the engine's one table of effects: a new effect with an existing argument kind is
# completed, indexed and renamed without a change here
_ARG_KINDS = {
    id(_effects.MEMBER): ("member", ""),
    id(_effects.MEMBER_OR_ALL): ("member", ""),
    id(_effects.BITE): ("member", ""),
    id(_effects.PARTING): ("member", ""),
    id(_effects.ITEMS): ("item", "write"),
    id(_effects.COUNTERS): ("counter", "write"),
    id(_effects.FLAGS): ("flag", "write"),
}
EFFECT_ARGS: dict[str, tuple[str, str]] = {
    spec.op: _ARG_KINDS[id(spec.arg)] for spec in _effects.EFFECT_SPECS if id(spec.arg) in _ARG_KINDS
}


def parse_text(text: str) -> Any:
    """One file's text -> YMap/YList data with positions, or None if it does not parse
    (a buffer being typed is often not valid YAML for a moment)."""
    import yaml

    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        loader = PosLoader(text)  # a pure-Python reader checks the characters here
    except yaml.YAMLError:
        return None
    builder = _YamlBuilder(loader, track="&" in text)
    try:
        node = loader.get_single_node()
        return builder.build(node) if node is not None else None
    except (_Refused, yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def load_references(root: str) -> References:
    """The loader's own index of every definition and use (one position per YAML node),
    for checking that the editor's index sees what the compiler sees."""
    return load_story(root, display_root=os.path.abspath(root)).references


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
