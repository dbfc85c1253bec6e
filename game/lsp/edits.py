"""Rename: every span of a name across the story, and for a scene the `renames:` entry
in the manifest so saves made before the rename still replay (docs/saves.md)."""

from __future__ import annotations

from .index import ID_RE, YMap
from .project import Project
from .walk import Span

RENAMABLE = ("scene", "flag", "counter")
Edits = dict[str, list[tuple[Span, str]]]


class RenameError(ValueError):
    pass


def rename(project: Project, kind: str, old: str, new: str, manifest_text: str) -> Edits:
    """The edits (path -> [(span, new text)]) that rename `old` to `new`. `manifest_text`
    is the manifest as the editor has it (the index must be up to date with it)."""
    if kind not in RENAMABLE:
        raise RenameError(f"only scenes, flags and counters can be renamed here, not a {kind}")
    if not ID_RE.match(new):
        raise RenameError(f"{new!r} is not an id (lower-case words joined by '-')")
    if new == old:
        return {}
    if project.definitions(kind, new):
        raise RenameError(f"there is already a {kind} {new!r}")
    renamed_away = _renamed_scenes(project)
    if kind == "scene" and new in renamed_away:
        raise RenameError(f"{new!r} is an old scene id in renames:; reusing it would send old saves there")
    edits: Edits = {}
    for d in project.definitions(kind, old):
        edits.setdefault(d.path, []).append((d.span, new))
    for use in project.uses(kind, old):
        edits.setdefault(use.path, []).append((use.span, new))
    if kind == "scene" and edits:
        span, text = _renames_entry(project, old, new, manifest_text)
        edits.setdefault(project.manifest, []).append((span, text))
    for spans in edits.values():
        spans.sort()
    return edits


def _renamed_scenes(project: Project) -> YMap:
    index = project.files.get(project.manifest)
    data = index.data if index else None
    renames = data.get("renames") if isinstance(data, YMap) else None
    scenes = renames.get("scenes") if isinstance(renames, YMap) else None
    return scenes if isinstance(scenes, YMap) else YMap()


def _renames_entry(project: Project, old: str, new: str, text: str) -> tuple[Span, str]:
    """Where and what to insert so `renames.scenes` maps old -> new, in the manifest's
    own style (block or flow), creating `renames:` and `scenes:` when missing."""
    lines = text.split("\n")
    index = project.files.get(project.manifest)
    m = index.data if index else None
    entry = f"{old}: {new}"
    if not isinstance(m, YMap) or "renames" not in m:
        last = len(lines) - 1
        lead = "" if text.endswith("\n") or not text else "\n"
        return Span(last, len(lines[last]), len(lines[last])), f"{lead}renames:\n  scenes:\n    {entry}\n"
    renames = m["renames"]
    rkey_line, rkey_col = _at(m.kpos["renames"])
    if not isinstance(renames, YMap):  # `renames:` with nothing under it
        return _after_line(
            lines, rkey_line, f"{' ' * (rkey_col + 2)}scenes:\n{' ' * (rkey_col + 4)}{entry}\n"
        )
    if "scenes" not in renames:
        return _insert_into(renames, lines, f"scenes: {{{entry}}}", "scenes:", entry)
    scenes = renames["scenes"]
    if not isinstance(scenes, YMap):  # `scenes:` with nothing under it
        line, col = _at(renames.kpos["scenes"])
        return _after_line(lines, line, f"{' ' * (col + 2)}{entry}\n")
    return _insert_into(scenes, lines, entry, None, entry)


def _insert_into(m: YMap, lines: list[str], flow: str, block_key: str | None, entry: str) -> tuple[Span, str]:
    line, col = _at(m.pos)
    if col < len(lines[line]) and lines[line][col] == "{":  # flow style: {a: b, ...}
        return Span(line, col + 1, col + 1), flow + (", " if m else "")
    first_line, first_col = _at(min(m.kpos.values()))
    pad = " " * first_col
    if block_key is None:
        return Span(first_line, 0, 0), f"{pad}{entry}\n"
    return Span(first_line, 0, 0), f"{pad}{block_key}\n{pad}  {entry}\n"


def _after_line(lines: list[str], line: int, text: str) -> tuple[Span, str]:
    if line + 1 < len(lines):
        return Span(line + 1, 0, 0), text
    end = len(lines[line])
    return Span(line, end, end), "\n" + text.rstrip("\n")


def _at(packed: int) -> tuple[int, int]:
    return packed >> 20, packed & 0xFFFFF
