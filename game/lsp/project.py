"""The index of one story folder, kept up to date one file at a time.

Built once from disk (every file parsed and walked), then each edited buffer replaces
its own file's entry: completion never reloads the story, it looks names up here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace

from .index import MANIFEST, is_test_file, story_files
from .walk import Def, FileIndex, Use, index_file

KINDS = ("scene", "flag", "counter", "member", "item", "location", "event", "fate-set")


class Project:
    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self.manifest = os.path.join(self.root, MANIFEST)
        self.files: dict[str, FileIndex] = {}
        self.defs: dict[str, dict[str, list[Def]]] = {kind: {} for kind in KINDS}
        self.generation = 0  # bumped when the definitions change: completion's caches compare it

    def build(self) -> Project:
        """Index every file of the story from disk."""
        files, tests = story_files(self.root)
        for path in files + tests:
            try:
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
            except (OSError, UnicodeDecodeError):
                continue
            self.update(path, text)
        return self

    def kind_of(self, path: str) -> str:
        if path == self.manifest:
            return "manifest"
        return "tests" if is_test_file(self.root, path) else "scenes"

    def update(self, path: str, text: str) -> FileIndex:
        """Re-index one file from its text. A file that does not parse keeps its last good
        index (a buffer is often invalid for a keystroke or two)."""
        path = os.path.abspath(path)
        return self.apply(self.read(path, text))

    def read(self, path: str, text: str) -> FileIndex:
        """Parse and walk one file: touches nothing shared, so it may run in a thread."""
        return index_file(path, text, self.kind_of(path))

    def apply(self, fresh: FileIndex) -> FileIndex:
        """Put a file's new index in place of its old one."""
        path = fresh.path
        old = self.files.get(path)
        if not fresh.ok and old is not None:
            return old
        if old is not None:
            for d in old.defs:
                same = self.defs[d.kind].get(d.name)
                if same is not None:
                    same[:] = [x for x in same if x.path != path]
                    if not same:
                        del self.defs[d.kind][d.name]
        self.files[path] = fresh
        if old is None or [(d.kind, d.name, d.detail) for d in old.defs] != [
            (d.kind, d.name, d.detail) for d in fresh.defs
        ]:
            self.generation += 1  # what completion offers changed
        for d in fresh.defs:
            self.defs[d.kind].setdefault(d.name, []).append(d)
        return fresh

    # -- lookups -----------------------------------------------------------------------

    def names(self, kind: str) -> dict[str, list[Def]]:
        return self.defs.get(kind, {})

    def definitions(self, kind: str, name: str) -> list[Def]:
        return list(self.defs.get(kind, {}).get(name, ()))

    def uses(self, kind: str, name: str) -> Iterator[Use]:
        """Every use; a location's include `at(place)` naming it."""
        kinds = ("location", "place") if kind == "location" else (kind,)
        for index in self.files.values():
            for use in index.uses:
                if use.name == name and use.kind in kinds:
                    yield use

    def symbol_at(self, path: str, line: int, character: int) -> Def | Use | None:
        index = self.files.get(os.path.abspath(path))
        found = index.at(line, character) if index else None
        if isinstance(found, Use) and found.kind == "place" and found.name in self.defs["location"]:
            return replace(found, kind="location")  # at(place): a location, or an area
        return found

    def areas(self) -> set[str]:
        return {d.detail.rsplit(", ", 1)[-1] for ds in self.defs["location"].values() for d in ds}
