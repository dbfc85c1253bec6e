"""`load_story`: a story folder -> `LoadResult` (the story, its diagnostics, statistics and
the index of references). The order of the work: find and read every file (feeding the
digest), read the manifest, read each scene file, then hand the story and the references
to `check.check_story` for the checks between nodes."""

from __future__ import annotations

import gc
import hashlib
import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..diagnostics import Diagnostic
from ..model import PLAYER, Pos, Story, location_in
from ..yamlpos import YMap
from .files import MANIFEST, leads_out, read_file, story_files
from .manifest import MANIFEST_FIELDS, read_manifest
from .references import References, Stats
from .scenes import SceneReader


@dataclass
class LoadResult:
    story: Story | None
    diagnostics: list[Diagnostic]
    stats: Stats
    references: References = field(default_factory=References)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.story is not None and not self.errors


class StoryError(Exception):
    """Raised by `load_or_raise` when a story has errors; carries the diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        errors = [d for d in diagnostics if d.severity == "error"]
        first = str(errors[0]) if errors else "the story could not be loaded"
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        super().__init__(first + more)
        self.diagnostics = diagnostics


def load_story(path: str | os.PathLike[str], display_root: str | None = None) -> LoadResult:
    """Read and check a story folder. Never raises for bad content.

    The cyclic garbage collector is paused while it works, and what it made is frozen
    (`gc.freeze()`) before the collector resumes: a loaded story is hundreds of
    thousands of containers (10,000 scenes: ~600,000) and acyclic, so no collection
    could free any of it, yet the first one after the load would walk them all (0.4-0.7
    s after a 6-8 s load of 10,000 scenes on a busy machine), and later ones again
    while the story is held. Dropping the result still frees it at once (reference
    counting frees frozen objects as well: nothing in it is a cycle, which a test
    holds). Like any `gc.freeze()`, it also freezes whatever else the
    process held at that moment, cyclic garbage included: a caller that loads stories
    over and over while making cycles of its own may `gc.unfreeze()` now and then (the
    TUI and the language server freeze their long-lived data anyway). A caller that
    paused the collector itself gets nothing frozen."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the node trees are acyclic; collecting during the parse only costs time
    try:
        result = _load(Path(path), display_root if display_root is not None else os.fspath(path))
        if gc_was_enabled:
            gc.freeze()
        return result
    finally:
        if gc_was_enabled:
            gc.enable()


def load_or_raise(path: str | os.PathLike[str]) -> Story:
    result = load_story(path)
    if not result.ok or result.story is None:
        raise StoryError(result.diagnostics)
    return result.story


def _load(root: Path, display_root: str) -> LoadResult:
    from ..check import check_story

    b = SceneReader(root, display_root)
    manifest_path = root / MANIFEST
    b.path = os.path.join(display_root, MANIFEST)
    if not root.is_dir():
        b.error(Pos(display_root, 1, 1), "not a story folder: no such directory")
        return LoadResult(None, b.diags, b.stats, b.refs)
    if not manifest_path.is_file():
        b.error(Pos(b.path, 1, 1), f"no manifest: a story folder needs a {MANIFEST}")
        return LoadResult(None, b.diags, b.stats, b.refs)
    if leads_out(manifest_path, root.resolve()) is not None:
        b.error(Pos(b.path, 1, 1), "symlink leads out of the story folder")
        return LoadResult(None, b.diags, b.stats, b.refs)

    digest = hashlib.sha256()
    raw_manifest = read_file(b, manifest_path, digest)
    files = story_files(root, b)
    b.stats.files = 1 + len(files)
    manifest_display = os.path.join(display_root, MANIFEST)
    if not isinstance(raw_manifest, YMap):
        # no story to build: still read every file, so all their problems are reported
        for f in files:
            read_file(b, f, digest)
        if raw_manifest is not None:
            b.path = manifest_display
            b.fields(raw_manifest, "the manifest", MANIFEST_FIELDS)  # "must be a mapping"
        return LoadResult(None, b.diags, b.stats, b.refs)

    b.path = manifest_display
    m = b.fields(raw_manifest, "the manifest", MANIFEST_FIELDS, ("title", "start", "cast", "locations"))
    assert m is not None  # a YMap
    story_kwargs = read_manifest(b, m)
    del raw_manifest, m
    manifest_events = list(b.events)
    b.events = []
    # Each file's model is built as soon as it is read, and its positioned node tree and
    # lines dropped: the load never holds more than one file's tree (the model keeps only
    # the positions that diagnostics and the references index need, as `Pos` values).
    b.file_lines.clear()
    b.file_texts.clear()
    for f in files:
        data = read_file(b, f, digest)  # sets b.path to the file's display path
        if data is not None:
            b.scene_file(data)
        del data
        b.file_lines.clear()  # a file's text and lines (to place positions in its texts)
        b.file_texts.clear()
    # higher priority first; equal priorities keep file order (manifest first)
    events = tuple(sorted(manifest_events + b.events, key=lambda e: -e.priority))

    cast = story_kwargs["cast"]
    locations = story_kwargs["locations"]
    b.ctx.location_area.update({lid: loc.area for lid, loc in locations.items()})
    b.ctx.traits.update({mid: mem.traits for mid, mem in cast.items()})
    b.ctx.traits[PLAYER] = story_kwargs["player_traits"]

    story = Story(
        scenes=b.scenes,
        events=events,
        flags=b.flags,
        counters=b.counters,
        digest=digest.hexdigest()[:16],
        root=os.fspath(root),
        **story_kwargs,
    )
    # not `story.location_of`: a condition holding the story would make it a cycle
    b.ctx.location_of = partial(location_in, {sid: scene.location for sid, scene in b.scenes.items()})
    b.stats.scenes = len(b.scenes)
    b.stats.choices = sum(len(s.choices) for s in b.scenes.values())
    b.stats.endings = sum(1 for s in b.scenes.values() if s.ending is not None)
    b.stats.cast = len(cast)
    b.stats.events = len(events)
    b.stats.words = b.words
    b.diags.extend(check_story(story, b.refs))
    b.diags.sort()
    return LoadResult(story, b.diags, b.stats, b.refs)
