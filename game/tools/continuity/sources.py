"""Where each piece of text a reader sees comes from, and what `quiet:` silences there.

The loaded `Story` keeps no position per paragraph, so this re-reads the story's YAML
(the same files, with the same positions, as the loader) and indexes it by scene id,
paragraph index, choice id and member id. It also lists where each flag is set and which
members each scene can `join`, from the loaded story.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...engine.effects import Conditional, Effect, Join, SetFlag
from ...engine.model import Pos, Story
from ...engine.yamlpos import YList, YMap, read_yaml, unpack

# a key naming one piece of visible text:
#   ("text", scene, i)  ("label", scene, choice)  ("choice-text", scene, choice)
#   ("outcome", scene, choice, k)  ("fate", scene, member, i)  ("default-fate", status)
#   ("scene", scene)
Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Setter:
    """One place that sets a flag: a scene's on_enter, or one of its choices."""

    flag: str
    scene: str
    choice: str  # "" for on_enter
    pos: Pos


@dataclass
class Sources:
    pos: dict[Key, Pos] = field(default_factory=dict)
    quiet: dict[Key, dict[str, str]] = field(default_factory=dict)
    setters: dict[str, list[Setter]] = field(default_factory=dict)
    joins: dict[str, frozenset[str]] = field(default_factory=dict)  # scene -> members it can join

    def where(self, key: Key) -> Pos:
        found = self.pos.get(key)
        if found is not None:
            return found
        scene_pos = self.pos.get(("scene", key[1])) if len(key) > 1 else None
        return scene_pos or Pos("?", 0, 0)

    def silenced(self, key: Key, rule: str) -> str | None:
        """The reason `rule` is silenced for this text (its own `quiet:`, its choice's, its
        scene's), or None."""
        for k in _owners(key):
            reason = self.quiet.get(k, {}).get(rule)
            if reason:
                return reason
        return None


def _owners(key: Key) -> Iterator[Key]:
    yield key
    kind = key[0]
    if kind in ("choice-text", "outcome", "label"):
        yield ("choice", key[1], key[2])
    if kind != "default-fate" and len(key) > 1:
        yield ("scene", key[1])


def build(story: Story) -> Sources:
    src = Sources()
    fate_quiet: dict[Pos, dict[str, str]] = {}  # a fate line's `quiet:`, by its text's position
    root = Path(story.root)
    display = story.root
    for path in _scene_files(root):
        data, _problems = read_yaml(os.fspath(path))
        if not isinstance(data, YMap):
            continue
        shown = os.path.join(display, os.path.relpath(path, root))
        scenes = data.get("scenes")
        if isinstance(scenes, YList):
            for item, ipos in zip(scenes, scenes.ipos, strict=False):
                if isinstance(item, YMap):
                    _scene(src, shown, item, ipos, fate_quiet)
        if isinstance(sets := data.get("fate_sets"), YMap):
            for body in sets.values():
                _fate_quiet(fate_quiet, shown, body)
    manifest, _ = read_yaml(os.fspath(root / "story.yaml"))
    if isinstance(manifest, YMap) and isinstance(fates := manifest.get("fates"), YMap):
        shown = os.path.join(display, "story.yaml")
        for status in fates:
            src.pos[("default-fate", str(status))] = _pos(shown, fates.vpos.get(status, fates.pos))
    _fates(src, story, fate_quiet)
    _setters(src, story)
    return src


def _fates(src: Sources, story: Story, fate_quiet: dict[Pos, dict[str, str]]) -> None:
    """Each ending's fate lines as the loader merged them (its own and its fate set's):
    where the line at each index was written, and its `quiet:`."""
    for sid, scene in story.scenes.items():
        if scene.ending is None:
            continue
        for mid, places in scene.ending.sources.items():
            for i, pos in enumerate(places):
                src.pos[("fate", sid, mid, i)] = pos
                if pos in fate_quiet:
                    src.quiet[("fate", sid, mid, i)] = fate_quiet[pos]


def _fate_quiet(out: dict[Pos, dict[str, str]], path: str, fates: Any) -> None:
    """The `quiet:` of each fate line of a `fates:` mapping, by its text's position."""
    if not isinstance(fates, YMap):
        return
    for value in fates.values():
        for item, ipos in zip(value, value.ipos, strict=False) if isinstance(value, YList) else ():
            if isinstance(item, YMap) and isinstance(raw := item.get("quiet"), YMap):
                out[_pos(path, item.vpos.get("text", ipos))] = {
                    str(k): str(v) for k, v in raw.items() if isinstance(v, str)
                }


def _scene_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        if rel.parts[:1] == ("tests",):
            dirnames[:] = []
            continue
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".yaml", ".yml")) and not (rel == Path(".") and name == "story.yaml"):
                files.append(Path(dirpath) / name)
    return files


def _pos(path: str, packed: int) -> Pos:
    line, col = unpack(packed)
    return Pos(path, line, col)


def _quiet(src: Sources, key: Key, m: YMap) -> None:
    raw = m.get("quiet")
    if isinstance(raw, YMap):
        src.quiet[key] = {str(k): str(v) for k, v in raw.items() if isinstance(v, str)}


def _text(src: Sources, path: str, value: Any, packed: int, key: Key) -> None:
    """Index a text value (a string, or a list of paragraphs) under key + (i,)."""
    if isinstance(value, str):
        src.pos[(*key, 0)] = _pos(path, packed)
        return
    if not isinstance(value, YList):
        return
    for i, (item, ipos) in enumerate(zip(value, value.ipos, strict=False)):
        if isinstance(item, YMap):
            src.pos[(*key, i)] = _pos(path, item.vpos.get("text", ipos))
            _quiet(src, (*key, i), item)
        else:
            src.pos[(*key, i)] = _pos(path, ipos)


def _scene(src: Sources, path: str, m: YMap, packed: int, fate_quiet: dict[Pos, dict[str, str]]) -> None:
    sid = m.get("id")
    if not isinstance(sid, str):
        return
    src.pos[("scene", sid)] = _pos(path, packed)
    _quiet(src, ("scene", sid), m)
    _text(src, path, m.get("text"), m.vpos.get("text", packed), ("text", sid))
    choices = m.get("choices")
    if isinstance(choices, YList):
        for c, cpos in zip(choices, choices.ipos, strict=False):
            if not isinstance(c, YMap) or not isinstance(cid := c.get("id"), str):
                continue
            src.pos[("label", sid, cid)] = _pos(path, c.vpos.get("label", cpos))
            _quiet(src, ("choice", sid, cid), c)
            if "text" in c:
                src.pos[("choice-text", sid, cid)] = _pos(path, c.vpos["text"])
            roll = c.get("roll")
            if isinstance(roll, YList):
                for k, (o, opos) in enumerate(zip(roll, roll.ipos, strict=False)):
                    if isinstance(o, YMap) and "text" in o:
                        src.pos[("outcome", sid, cid, k)] = _pos(path, o.vpos.get("text", opos))
    ending = m.get("ending")
    if isinstance(ending, YMap):
        _fate_quiet(fate_quiet, path, ending.get("fates"))


def _walk(effects: Iterable[Effect]) -> Iterator[Effect]:
    for effect in effects:
        yield effect
        if isinstance(effect, Conditional):
            yield from _walk(effect.then)
            yield from _walk(effect.otherwise)


def _setters(src: Sources, story: Story) -> None:
    for sid, scene in story.scenes.items():
        groups: list[tuple[str, tuple[Effect, ...]]] = [("", scene.on_enter)]
        for choice in scene.choices:
            groups.append((choice.id, choice.effects))
            for outcome in choice.roll:
                groups.append((choice.id, outcome.effects))
        joined: set[str] = set()
        for cid, effects in groups:
            for effect in _walk(effects):
                if isinstance(effect, SetFlag):
                    for flag in effect.flags:
                        src.setters.setdefault(flag, []).append(Setter(flag, sid, cid, effect.pos))
                elif isinstance(effect, Join):
                    joined.add(effect.who)
        if joined:
            src.joins[sid] = frozenset(joined)


_ONE_FLAG = re.compile(r"(?<![\w-])flag\(\s*([a-z0-9-]+)\s*\)")


def guarding_flag(source: str) -> str | None:
    """The flag a condition asserts, when it asserts exactly one and only positively
    (`flag(x)`, `flag(x) and present(y)`); None for `not flag(x)`, `or`, two flags."""
    found = _ONE_FLAG.findall(source)
    if len(found) != 1 or re.search(r"\bor\b", source):
        return None
    if re.search(r"\bnot\s+flag\(", source):
        return None
    return str(found[0])
