"""Ending fates and fate sets: per-member fate lines written once and shared by endings.

A scene file may define named sets of fate lines (`fate_sets:`); an ending names one or
a list (`fate_set:`) and keeps in its own `fates:` only what is its own. The merge, per
member: the ending's own lines without `case:` first, in its order; then the set's lines
in the set's order, where the ending's lines with `case: NAME` take the place of the
set's line of that name (all of them, in the ending's order). Sets may be defined in any
scene file and used from any other, so the merge runs once every file is read
(`resolve_fate_sets`); every reader of `Ending.fates` (the ending screen, `check`,
`continuity`, `explore`, `stats`) sees the merged lines.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..diagnostics import did_you_mean
from ..model import PLAYER, Ending, Pos, Text, TextBlock
from ..yamlpos import YList, YMap
from .effects import EffectReader
from .reader import ID_RE, kind_of
from .text import LineInfo

Lines = dict[str, list[tuple[TextBlock, LineInfo]]]  # member -> its lines


@dataclass
class FateSet:
    name: str
    pos: Pos
    lines: Lines
    used: bool = False
    label: str = ""  # how messages name it: "fate set 'a'", or "fate sets 'a', 'b'"

    def __post_init__(self) -> None:
        self.label = self.label or f"fate set {self.name!r}"


@dataclass
class PendingEnding:
    """An ending that names a fate set, merged once every file is read."""

    scene: str
    fate_sets: list[tuple[str, Pos]]  # the names `fate_set:` gives, with their positions
    lines: Lines
    ending: Ending | None = None  # as read: the merge replaces it only in its own scene


class FateReader(EffectReader):
    def __init__(self, root: Path, display_root: str) -> None:
        super().__init__(root, display_root)
        self.fate_sets: dict[str, FateSet] = {}
        self.pending_fates: list[PendingEnding] = []

    def fate_lines(self, raw: Any, pos: Pos, what: str) -> Lines:
        """A mapping of member id -> fate text, each block with where it was written."""
        out: Lines = {}
        if raw is None:
            return out
        if not isinstance(raw, YMap):
            self.error(pos, f"{what} must be a mapping of member ids, got {kind_of(raw)}")
            return out
        for mid, fate in raw.items():
            fpos = self.pos(raw.kpos.get(mid))
            if mid != PLAYER:
                self.refs.uses.append(("member", str(mid), fpos))
            infos: list[LineInfo] = []
            text = self.text(fate, self.pos(raw.vpos.get(mid)), f"the fate of {mid}", infos)
            out[str(mid)] = list(zip(text.blocks, infos, strict=True))
        return out

    def ending(self, value: Any, pos: Pos, sid: str) -> Ending | None:
        m = self.fields(value, f"the ending of {sid!r}", ENDING_FIELDS, ("title", "kind"), pos)
        if m is None:
            return None
        title = self.text_value(m, "title", "ending") or sid
        kind = self.id_value(m, "kind", "ending") or "ending"
        self.words += len(title.split())
        lines = self.fate_lines(m.get("fates"), self.vpos(m, "fates"), "fates")
        ending = _ending(title, kind, pos, lines)
        uses = self.fate_set_names(m, sid) if "fate_set" in m else []
        for use, upos in uses:
            self.refs.uses.append(("fate-set", use, upos))
        if uses:
            self.pending_fates.append(PendingEnding(sid, uses, lines, ending))
        else:
            for mid, own in lines.items():
                for _, info in own:
                    if info.case is not None and info.case_pos is not None:
                        self.error(
                            info.case_pos,
                            f"case: {info.case!r} (fate of {mid}) names a line of the ending's fate_set "
                            "to replace, but this ending has no fate_set",
                        )
        return ending

    def fate_set_names(self, m: YMap, sid: str) -> list[tuple[str, Pos]]:
        """`fate_set: name` or `fate_set: [name, name]`: the names with their positions."""
        raw = m.get("fate_set")
        if not isinstance(raw, YList):
            name = self.id_value(m, "fate_set", f"the ending of {sid!r}")
            return [(name, self.vpos(m, "fate_set"))] if name is not None else []
        out: list[tuple[str, Pos]] = []
        for i, name in enumerate(raw):
            npos = self.pos(raw.ipos[i])
            if not isinstance(name, str) or not ID_RE.match(name):
                self.error(npos, f"the ending of {sid!r}: fate_set {name!r} is not an id")
            elif name in (n for n, _ in out):
                self.error(npos, f"the ending of {sid!r} names fate set {name!r} twice")
            else:
                out.append((name, npos))
        return out

    def declare_fate_sets(self, m: YMap) -> None:
        raw = m.get("fate_sets")
        if raw is None:
            return
        if not isinstance(raw, YMap):
            self.error(
                self.vpos(m, "fate_sets"),
                f"fate_sets must be a mapping of set name: member fates, got {kind_of(raw)}",
            )
            return
        for name, body in raw.items():
            spos = self.pos(raw.kpos.get(name))
            if not isinstance(name, str) or not ID_RE.match(name):
                self.error(spos, f"fate set name {name!r} is not an id (lower-case words joined by '-')")
                continue
            lines = self.fate_lines(body, self.pos(raw.vpos.get(name)), f"fate set {name!r}")
            for mid, own in lines.items():
                seen: dict[str, Pos] = {}
                for _, info in own:
                    if info.case is None or info.case_pos is None:
                        continue
                    if info.case in seen:
                        first = seen[info.case]
                        self.error(
                            info.case_pos,
                            f"fate set {name!r}: {mid} has two lines with case {info.case!r} "
                            f"(first at line {first.line})",
                        )
                    seen.setdefault(info.case, info.case_pos)
            if name in self.fate_sets:
                first = self.fate_sets[name].pos
                self.error(spos, f"fate set {name!r} is defined twice (first at {first})")
                continue
            self.fate_sets[name] = FateSet(name, spos, lines)
            self.refs.define("fate-set", name, spos)

    def resolve_fate_sets(self) -> None:
        """Merge each ending's fate sets into its fates (call once every file is read)."""
        for p in self.pending_fates:
            scene = self.scenes.get(p.scene)
            if scene is None or scene.ending is None or scene.ending is not p.ending:
                continue  # a scene id defined twice (reported): the second is not in the story
            sets: list[FateSet] = []
            for name, npos in p.fate_sets:
                fate_set = self.fate_sets.get(name)
                if fate_set is None:
                    self.error(npos, f"unknown fate set {name!r}" + did_you_mean(name, self.fate_sets))
                else:
                    fate_set.used = True
                    sets.append(fate_set)
            if len(sets) == len(p.fate_sets):
                merged = self._merge(p, self._combined(sets))
                self.scenes[p.scene] = replace(scene, ending=_ending(*_head(scene.ending), merged))
        for fate_set in self.fate_sets.values():
            if not fate_set.used:
                self.warning(fate_set.pos, f"fate set {fate_set.name!r} is never used by an ending")

    def _combined(self, sets: list[FateSet]) -> FateSet:
        """Several sets as one: each member's lines in the order the sets are named. A case
        must name one line of a member across them."""
        if len(sets) == 1:
            return sets[0]
        lines: Lines = {}
        owner: dict[tuple[str, str], str] = {}
        for fate_set in sets:
            for mid, own in fate_set.lines.items():
                lines.setdefault(mid, []).extend(own)
                for _, info in own:
                    if info.case is None or info.case_pos is None:
                        continue
                    first = owner.setdefault((mid, info.case), fate_set.name)
                    if first != fate_set.name:
                        self.error(
                            info.case_pos,
                            f"case {info.case!r} of {mid} is in both fate sets {first!r} and "
                            f"{fate_set.name!r}, which one ending uses",
                        )
        names = ", ".join(repr(s.name) for s in sets)
        return FateSet("+".join(s.name for s in sets), sets[0].pos, lines, True, f"fate sets {names}")

    def _merge(self, p: PendingEnding, fate_set: FateSet) -> Lines:
        out: Lines = {}
        for mid in [*p.lines, *(mid for mid in fate_set.lines if mid not in p.lines)]:
            own = p.lines.get(mid, [])
            base = fate_set.lines.get(mid, [])
            cases = [info.case for _, info in base if info.case is not None]
            replacing: dict[str, list[tuple[TextBlock, LineInfo]]] = {}
            for block, info in own:
                if info.case is None or info.case_pos is None:
                    continue
                if info.case not in cases:
                    have = f"; its cases: {', '.join(cases)}" if cases else f"; it names no case of {mid}"
                    self.error(
                        info.case_pos,
                        f"{fate_set.label} has no line of {mid} with case {info.case!r}"
                        + (did_you_mean(info.case, cases) or have),
                    )
                else:  # several lines of one case all take its place, in the ending's order
                    replacing.setdefault(info.case, []).append((block, info))
            lines = [line for line in own if line[1].case is None]
            for block, info in base:
                mine = replacing.get(info.case) if info.case is not None else None
                lines.extend(mine or [(block, info)])
            out[mid] = lines
        return out


def _head(ending: Ending) -> tuple[str, str, Pos]:
    return ending.title, ending.kind, ending.pos


def _ending(title: str, kind: str, pos: Pos, lines: Lines) -> Ending:
    fates = {mid: Text(tuple(block for block, _ in own)) for mid, own in lines.items()}
    sources = {mid: tuple(info.pos for _, info in own) for mid, own in lines.items()}
    return Ending(title, kind, fates, pos, sources)


ENDING_FIELDS = ("title", "kind", "fate_set", "fates")
