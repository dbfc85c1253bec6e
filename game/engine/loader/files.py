"""Finding a story's files and reading each with positions (and into the story digest)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..model import Pos
from ..yamlpos import read_yaml
from .reader import Reader

MANIFEST = "story.yaml"


def leads_out(path: Path, real_root: Path) -> Path | None:
    """Where a symlink points, if that is outside the story folder; else None."""
    if not path.is_symlink():
        return None
    target = path.resolve()
    return None if target.is_relative_to(real_root) else target


def story_files(root: Path, b: Reader) -> list[Path]:
    """Every scene file, sorted; symlinks leading out of the folder are refused."""
    files: list[Path] = []
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = Path(dirpath).relative_to(root)
        if rel_dir.parts[:1] == ("tests",):
            dirnames[:] = []
            continue
        dirnames.sort()
        for d in list(dirnames):
            full = Path(dirpath) / d
            if (target := leads_out(full, real_root)) is not None:
                b.path = b.display(full)
                b.error(Pos(b.path, 1, 1), f"symlink leads out of the story folder (to {target})")
                dirnames.remove(d)
        for name in sorted(filenames):
            if not name.endswith((".yaml", ".yml")):
                continue
            full = Path(dirpath) / name
            if full.parent == root and name == MANIFEST:
                continue
            if (target := leads_out(full, real_root)) is not None:
                b.path = b.display(full)
                b.error(Pos(b.path, 1, 1), f"symlink leads out of the story folder (to {target})")
                continue
            files.append(full)
    return files


def read_file(b: Reader, path: Path, digest: Any) -> Any:
    b.path = b.display(path)
    digest.update(os.fspath(path.relative_to(b.root)).encode())
    real = os.fspath(path)
    data, problems = read_yaml(real, digest=digest, strings=b.shared, texts=b.file_texts)
    if real in b.file_texts:  # kept to place positions inside its texts (see TextReader)
        b.file_texts[b.path] = b.file_texts.pop(real)
    for p in problems:
        b.error(Pos(b.path, p.line, p.col), p.message)
    if problems and any("duplicate key" not in p.message for p in problems):
        return None
    if data is None and not problems:
        b.error(Pos(b.path, 1, 1), "the file is empty")
    return data
