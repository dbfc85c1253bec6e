"""One story file's text -> what it defines and what it uses, each with an exact span.

The loader keeps one position per YAML node; an editor needs the span of the very name
under the cursor (`flag(door-barricaded)` inside a condition, `{on-jo}` inside a block of
prose). So the walk follows the same fields the loader reads and finds each name in the
file's lines from its node's position. Spans are 0-based lines and columns in code
points (Python's); `FileIndex.wide` keeps the lines where that differs from the client's
UTF-16 or UTF-8 columns, for `client_col`. Nothing here raises on a half-typed file:
what cannot be read is skipped.

Over 400 lines on purpose: it is one walk that mirrors the loader's reading of the
format field by field (manifest, scenes, choices, effects, events, tests); split, the
halves would each follow half of the format and drift from the loader apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..engine.pronouns import form_key
from ..engine.templates import HISTORY_KEYS
from .index import EFFECT_ARGS, FUNCTIONS, PLAYER, WHO, YList, YMap, parse_text

_COL_BITS = 20
_TEMPLATE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_IF_CONSTRUCT = re.compile(r"\{if\s+(.*?)\s+then\b", re.S)  # `{if COND then A | B}`: COND is read
_CALL = re.compile(r"([A-Za-z_]+)\s*\((?=([^()]*))")  # the arguments are looked at, not eaten
_ID_CHAR = re.compile(r"[a-z0-9-]")
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_INLINE_IF = re.compile(r"if\s+(.*?)\s+then\b", re.S)
_PLAIN_KEYS = ("player", "time", "day", WHO)
_SKIP_MEMBERS = (PLAYER, WHO, "all")
_REF_KINDS = ("member", "item", "flag", "counter", "scene", "place")


class Span(NamedTuple):
    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Def:
    kind: str  # scene, flag, counter, member, item, location, event, fate-set
    name: str
    path: str
    span: Span
    detail: str = ""  # one line: a flag's description, a scene's first line
    info: tuple[str, ...] = ()  # more for hover: a scene's location and first lines


@dataclass(frozen=True, slots=True)
class Use:
    kind: str  # scene, flag, counter, member, item, location, place (at(): a location or an area)
    name: str
    path: str
    span: Span
    role: str  # "read", "write" or "" (a goto, a location, a mention)
    scene: str  # the scene (or event) it is in, for hover: who sets and reads a flag


@dataclass(frozen=True, slots=True)
class SceneOutline:
    id: str
    span: Span  # the id
    first_line: int
    last_line: int
    choices: tuple[tuple[str, Span], ...]


@dataclass
class FileIndex:
    path: str
    ok: bool  # False: the text did not parse; defs and uses are empty
    defs: list[Def] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    scenes: list[SceneOutline] = field(default_factory=list)
    data: Any = None  # the parsed file (kept for the manifest: renames are edited in it)
    wide: dict[int, str] = field(default_factory=dict)

    def client_col(self, line: int, col: int, encoding: str) -> int:
        return client_col(self.wide.get(line, ""), col, encoding)

    def server_col(self, line: int, col: int, encoding: str) -> int:
        return server_col(self.wide.get(line, ""), col, encoding)

    def at(self, line: int, character: int) -> Def | Use | None:
        entries: list[Def | Use] = [*self.defs, *self.uses]
        for entry in entries:
            s = entry.span
            if s.line == line and s.start <= character <= s.end:
                return entry
        return None


def index_file(path: str, text: str, kind: str) -> FileIndex:
    """kind: "manifest", "scenes" (a scene file) or "tests" (a story test file)."""
    data = parse_text(text)
    if not isinstance(data, YMap):
        return FileIndex(path, ok=False)
    w = _Walker(path, text)
    if kind == "manifest":
        w.manifest(data)
    elif kind == "tests":
        w.tests(data)
    else:
        w.scene_file(data)
    return FileIndex(path, True, w.defs, w.uses, w.scenes, data if kind == "manifest" else None, w.wide)


def client_col(text: str, col: int, encoding: str) -> int:
    """A code-point column of a line -> the client's units ("utf-16", "utf-8", "utf-32")."""
    if text.isascii() or encoding == "utf-32":
        return col
    if encoding == "utf-8":
        return len(text[:col].encode("utf-8"))
    return len(text[:col].encode("utf-16-le")) // 2


def server_col(text: str, col: int, encoding: str) -> int:
    """The client's column -> a code-point column."""
    if text.isascii() or encoding == "utf-32":
        return col
    units = 0
    for i, ch in enumerate(text):
        if units >= col:
            return i
        units += len(ch.encode("utf-8")) if encoding == "utf-8" else (2 if ord(ch) > 0xFFFF else 1)
    return len(text)


def first_lines(text: Any, limit: int = 3) -> list[str]:
    """The first paragraph of a scene's text, as display lines."""
    if isinstance(text, list):
        for block in text:
            body = block if isinstance(block, str) else block.get("text") if isinstance(block, dict) else None
            if isinstance(body, str) and body.strip():
                text = body
                break
        else:
            return []
    if not isinstance(text, str):
        return []
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[:limit]


def short(text: str, width: int = 80) -> str:
    """One line of at most `width` characters, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return text[: width - 1].rsplit(" ", 1)[0] + "\u2026"


def _unpack(packed: int) -> tuple[int, int]:
    return packed >> _COL_BITS, packed & ((1 << _COL_BITS) - 1)


class _Walker:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.defs: list[Def] = []
        self.uses: list[Use] = []
        self.scenes: list[SceneOutline] = []
        self.where = ""  # the scene or event being walked
        self.wide: dict[int, str] = {}  # lines with spans whose columns differ in UTF-16

    # -- spans ---------------------------------------------------------------------

    def span(self, line: int, col: int, length: int) -> Span:
        if line < len(self.lines) and not self.lines[line].isascii():
            self.wide[line] = self.lines[line]
        return Span(line, col, col + length)

    def find(self, needle: str, line: int, col: int, last_line: int, ident: bool) -> tuple[int, int] | None:
        """The first `needle` at or after (line, col), not past `last_line`; with `ident`,
        only where it stands as a whole id (not inside a longer one)."""
        last_line = min(last_line, len(self.lines) - 1)
        while line <= last_line:
            text = self.lines[line]
            at = text.find(needle, col)
            while at >= 0:
                end = at + len(needle)
                if not ident or (
                    (at == 0 or not _ID_CHAR.match(text[at - 1]))
                    and (end >= len(text) or not _ID_CHAR.match(text[end]))
                ):
                    return line, at
                at = text.find(needle, at + 1)
            line, col = line + 1, 0
        return None

    def name_at(self, packed: int, name: str) -> Span | None:
        """The span of a scalar that is exactly `name` (plain or quoted)."""
        line, col = _unpack(packed)
        found = self.find(name, line, col, line + 2, ident=True)
        return self.span(found[0], found[1], len(name)) if found else None

    # -- recording -------------------------------------------------------------------

    def define(self, kind: str, name: Any, packed: int, detail: str = "", info: tuple[str, ...] = ()) -> None:
        if isinstance(name, str) and name and (span := self.name_at(packed, name)):
            self.defs.append(Def(kind, name, self.path, span, detail, info))

    def use(self, kind: str, name: Any, packed: int, role: str = "") -> None:
        if kind == "member" and name in _SKIP_MEMBERS:
            return
        if isinstance(name, str) and name and (span := self.name_at(packed, name)):
            self.uses.append(Use(kind, name, self.path, span, role, self.where))

    def value(self, m: YMap, key: str, kind: str, role: str = "") -> None:
        if key in m:
            self.use(kind, m[key], m.vpos.get(key, m.pos), role)

    def keys(self, m: Any, kind: str, role: str = "") -> None:
        if isinstance(m, YMap):
            for key in m:
                self.use(kind, key, m.kpos.get(key, m.pos), role)

    # -- conditions and templates -------------------------------------------------------

    def condition(self, source: Any, packed: int) -> None:
        if not isinstance(source, str):
            return
        line, col = _unpack(packed)
        last = line + source.count("\n") + 2
        cursor = (line, col)
        for call in _CALL.finditer(source):
            spec = FUNCTIONS.get(call.group(1))
            if spec is None:
                continue
            at = self.find(call.group(1), cursor[0], cursor[1], last, ident=True)
            if at is None:
                continue
            cursor = (at[0], at[1] + len(call.group(1)))
            kinds = spec[0]
            for i, arg in enumerate(call.group(2).split(",")):
                name = arg.strip()
                if i >= len(kinds) or kinds[i] not in _REF_KINDS or not name:
                    continue
                if kinds[i] == "member" and name in _SKIP_MEMBERS:
                    continue
                found = self.find(name, cursor[0], cursor[1], last, ident=True)
                if found:
                    span = self.span(found[0], found[1], len(name))
                    self.uses.append(Use(kinds[i], name, self.path, span, "read", self.where))
                    cursor = (found[0], found[1] + len(name))

    def template(self, source: Any, packed: int) -> None:
        if not isinstance(source, str) or "{" not in source:
            return
        line, col = _unpack(packed)
        # a folded (`>-`) or plain scalar spans more lines than its newlines say
        last = line + source.count("\n") + 2 + len(source) // 40
        cursor = (line, col)
        for match in _TEMPLATE.finditer(source):
            inner = match.group(1)
            if inner is None:
                continue
            key = inner.strip()
            if _INLINE_IF.match(key):  # read below, with or without braces nested in it
                continue
            kind, _, arg = key.partition(":")
            if kind in ("item", "counter") and arg:
                target, name = kind, arg.partition(":")[0].strip()  # {counter:x:words}
            elif arg and (kind in HISTORY_KEYS or form_key(kind) is not None):
                # {fate:on-jo}, {died_at:x}, {They:x}: a member the text names
                target, name = "member", arg.strip()
                if name in _SKIP_MEMBERS:
                    continue
            elif key in _PLAIN_KEYS or key == "name" or not _ID.fullmatch(key):
                continue
            else:
                target, name = "member", key
            found = self.find("{" + inner + "}", cursor[0], cursor[1], last, ident=False)
            if found is None:
                continue
            start = found[1] + 1 + inner.index(name)
            self.uses.append(
                Use(target, name, self.path, self.span(found[0], start, len(name)), "read", self.where)
            )
            cursor = (found[0], found[1] + len(inner) + 2)
        cursor = (line, col)
        for construct in _IF_CONSTRUCT.finditer(source):
            at = self.find("{if", cursor[0], cursor[1], last, ident=False)
            if at is None:
                break
            self.condition(construct.group(1), (at[0] << _COL_BITS) | at[1])
            cursor = (at[0], at[1] + 3)

    def text(self, value: Any, packed: int) -> None:
        if isinstance(value, str):
            self.template(value, packed)
        elif isinstance(value, YList):
            for i, block in enumerate(value):
                if isinstance(block, str):
                    self.template(block, value.ipos[i])
                elif isinstance(block, YMap):
                    self.condition(block.get("if"), block.vpos.get("if", block.pos))
                    for key in ("text", "else"):
                        if key in block:
                            self.template(block[key], block.vpos[key])

    # -- effects --------------------------------------------------------------------------

    def effects(self, value: Any) -> None:
        if not isinstance(value, YList):
            return
        for item in value:
            if not isinstance(item, YMap):
                continue
            if "if" in item:
                self.condition(item["if"], item.vpos["if"])
                self.effects(item.get("then"))
                self.effects(item.get("else"))
                continue
            for op, arg in item.items():
                kind, role = EFFECT_ARGS.get(op, ("", ""))
                at = item.vpos.get(op, item.pos)
                if kind == "member" and isinstance(arg, YMap):  # bite: {who: id, by: id}
                    self.value(arg, "who", "member")
                    self.value(arg, "by", "member")  # who bit: only `bite` takes it
                elif kind == "member":
                    self.use("member", arg, at)
                elif kind in ("item", "counter"):
                    self.keys(arg, kind, role)
                elif kind == "flag":
                    if isinstance(arg, YList):
                        for j, name in enumerate(arg):
                            self.use("flag", name, arg.ipos[j], role)
                    else:
                        self.use("flag", arg, at, role)

    # -- files ------------------------------------------------------------------------------

    def declarations(self, m: YMap) -> None:
        flags = m.get("flags")
        if isinstance(flags, YMap):
            for name, about in flags.items():
                self.define("flag", name, flags.kpos[name], about if isinstance(about, str) else "")
        counters = m.get("counters")
        if isinstance(counters, YMap):
            for name, spec in counters.items():
                about, start = "", 0
                if isinstance(spec, YMap):
                    about = spec.get("about") if isinstance(spec.get("about"), str) else ""
                    start = spec.get("start", 0)
                self.define("counter", name, counters.kpos[name], about, (f"starts at {start}",))

    def events(self, m: YMap) -> None:
        events = m.get("events")
        if not isinstance(events, YList):
            return
        for ev in events:
            if not isinstance(ev, YMap):
                continue
            self.where = f"event {ev.get('id')}"
            self.define(
                "event", ev.get("id"), ev.vpos.get("id", ev.pos), f"on {ev.get('on') or ev.get('when')}"
            )
            self.value(ev, "scene", "scene")
            for key in ("when", "if"):
                self.condition(ev.get(key), ev.vpos.get(key, ev.pos))
            who = ev.get("who")
            if isinstance(who, YList):
                for j, mid in enumerate(who):
                    self.use("member", mid, who.ipos[j])
            else:
                self.value(ev, "who", "member")

    def manifest(self, m: YMap) -> None:
        self.where = "the manifest"
        self.value(m, "start", "scene")
        for key, kind in (("cast", "member"), ("items", "item"), ("locations", "location")):
            table = m.get(key)
            if not isinstance(table, YMap):
                continue
            for name, spec in table.items():
                spec = spec if isinstance(spec, YMap) else {}
                label = spec.get("name") if isinstance(spec.get("name"), str) else name
                info: tuple[str, ...] = ()
                if kind == "member":
                    traits = spec.get("traits")
                    info = tuple(map(str, traits)) if isinstance(traits, list) else ()
                    detail = f"{label}" + (f" ({', '.join(info)})" if info else "")
                elif kind == "location":
                    detail = f"{label}, {spec.get('area', '?')}"
                else:
                    detail = f"{label}" + (f", at most {spec['max']}" if "max" in spec else "")
                self.define(kind, name, table.kpos[name], detail, info)
        self.keys(m.get("inventory"), "item")
        self.declarations(m)
        infection = m.get("infection")
        if isinstance(infection, YMap) and isinstance(mods := infection.get("hambie_modifiers"), YList):
            for mod in mods:
                if isinstance(mod, YMap):
                    self.condition(mod.get("if"), mod.vpos.get("if", mod.pos))
        fates = m.get("fates")
        if isinstance(fates, YMap):
            for key, text in fates.items():
                self.template(text, fates.vpos[key])
        self.events(m)
        renames = m.get("renames")
        if isinstance(renames, YMap) and isinstance(scenes := renames.get("scenes"), YMap):
            for old in scenes:
                self.use("scene", scenes[old], scenes.vpos[old], "rename")

    def scene_file(self, m: YMap) -> None:
        self.declarations(m)
        sets = m.get("fate_sets")
        if isinstance(sets, YMap):
            for name, body in sets.items():
                self.where = f"fate set {name}"
                members = len(body) if isinstance(body, YMap) else 0
                detail = f"fate lines for {members} member{'s' * (members != 1)}"
                self.define("fate-set", name, sets.kpos[name], detail)
                self.fates(body)
        scenes = m.get("scenes")
        if isinstance(scenes, YList):
            starts = [_unpack(p)[0] for p in scenes.ipos]
            ends = [s - 1 for s in starts[1:]] + [self._block_end(m, "scenes")]
            for i, scene in enumerate(scenes):
                if isinstance(scene, YMap):
                    self.scene(scene, starts[i], ends[i])
        self.events(m)

    def _block_end(self, m: YMap, key: str) -> int:
        """The last non-blank line of a top-level key's block."""
        start = _unpack(m.kpos.get(key, 0))[0]
        later = [_unpack(p)[0] for k, p in m.kpos.items() if _unpack(p)[0] > start]
        end = min(later) - 1 if later else len(self.lines) - 1
        while end > start and not self.lines[end].strip():
            end -= 1
        return end

    def scene(self, s: YMap, first: int, last: int) -> None:
        sid = s.get("id")
        self.where = sid if isinstance(sid, str) else ""
        while last > first and not self.lines[last].strip():
            last -= 1
        location = s.get("location")
        lines = first_lines(s.get("text"))
        info = (str(location or ""), *lines)
        self.define("scene", sid, s.vpos.get("id", s.pos), short(" ".join(lines)), info)
        if location != "here":
            self.value(s, "location", "location")
        self.text(s.get("text"), s.vpos.get("text", s.pos))
        self.effects(s.get("on_enter"))
        choices: list[tuple[str, Span]] = []
        raw = s.get("choices")
        for c in raw if isinstance(raw, YList) else ():
            if isinstance(c, YMap):
                cid = c.get("id")
                if isinstance(cid, str) and (span := self.name_at(c.vpos.get("id", c.pos), cid)):
                    choices.append((cid, span))
                self.choice(c)
        ending = s.get("ending")
        if isinstance(ending, YMap):
            used = ending.get("fate_set")
            if isinstance(used, YList):
                for j, name in enumerate(used):
                    self.use("fate-set", name, used.ipos[j])
            else:
                self.value(ending, "fate_set", "fate-set")
            self.fates(ending.get("fates"))
        if isinstance(sid, str) and (span := self.name_at(s.vpos.get("id", s.pos), sid)):
            self.scenes.append(SceneOutline(sid, span, first, last, tuple(choices)))

    def fates(self, fates: Any) -> None:
        """An ending's `fates:` or a fate set: member -> fate lines."""
        for mid, fate in fates.items() if isinstance(fates, YMap) else ():
            self.use("member", mid, fates.kpos[mid])
            self.text(fate, fates.vpos[mid])

    def choice(self, c: YMap) -> None:
        for key in ("label", "text"):
            if key in c:
                self.template(c[key], c.vpos[key])
        self.value(c, "goto", "scene")
        self.condition(c.get("if"), c.vpos.get("if", c.pos))
        reqs = c.get("requires")
        for r in [reqs] if isinstance(reqs, YMap) else reqs if isinstance(reqs, YList) else ():
            if isinstance(r, YMap):
                self.condition(r.get("if"), r.vpos.get("if", r.pos))
        self.effects(c.get("effects"))
        roll = c.get("roll")
        for o in roll if isinstance(roll, YList) else ():
            if not isinstance(o, YMap):
                continue
            self.value(o, "goto", "scene")
            self.condition(o.get("if"), o.vpos.get("if", o.pos))
            mods = o.get("modifiers")
            for mod in mods if isinstance(mods, YList) else ():
                if isinstance(mod, YMap):
                    self.condition(mod.get("if"), mod.vpos.get("if", mod.pos))
            self.effects(o.get("effects"))
            if "text" in o:
                self.template(o["text"], o.vpos["text"])

    def tests(self, m: YMap) -> None:
        tests = m.get("tests")
        for t in tests if isinstance(tests, YList) else ():
            if not isinstance(t, YMap) or not isinstance(expect := t.get("expect"), YMap):
                continue
            self.where = f"test {t.get('name')}"
            self.value(expect, "scene", "scene")
            self.value(expect, "ending", "scene")
            for key, kind in (
                ("flags", "flag"),
                ("counters", "counter"),
                ("members", "member"),
                ("items", "item"),
            ):
                self.keys(expect.get(key), kind, "read")
