"""Story folder -> `Story`, with a diagnostic for everything wrong, never an exception.

`load_story(path)` reads the manifest and every scene file, validates fields and types,
compiles conditions and templates, and hands the result to `check.check_story` for the
cross-reference and graph checks. A story with errors still comes back (as far as it
could be built) so tools can report everything at once; `LoadResult.ok` says if it runs.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, did_you_mean
from .expr import Context, ExprError, Ref, compile_condition
from .model import (
    DEFAULT_FATES,
    HAPPENINGS,
    HERE,
    PLAYER,
    WHO,
    Choice,
    Condition,
    Effect,
    Ending,
    EventRule,
    Infection,
    Item,
    Location,
    Member,
    Modifier,
    Outcome,
    Pos,
    Requirement,
    Scene,
    Story,
    Template,
    Text,
    TextBlock,
)
from .yamlpos import YList, YMap, read_yaml

MANIFEST = "story.yaml"
_new_tuple = tuple.__new__
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TEMPLATE_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")

MEMBER_EFFECTS = ("join", "leave", "separate", "injure", "heal", "kill", "feed", "turn")
EFFECTS = (
    *MEMBER_EFFECTS,
    "bite",
    "reveal",
    "give",
    "take",
    "set",
    "clear",
    "add",
    "counter",
    "noise",
    "advance",
    "if",
)


@dataclass
class Stats:
    files: int = 0
    scenes: int = 0
    choices: int = 0
    endings: int = 0
    words: int = 0
    cast: int = 0
    events: int = 0

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class LoadResult:
    story: Story | None
    diagnostics: list[Diagnostic]
    stats: Stats

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


@dataclass
class _Refs:
    """What the story mentions, with where, for the cross-reference checks."""

    names: list[tuple[str, str, Pos]] = field(default_factory=list)  # kind, name, pos
    flags_read: dict[str, Pos] = field(default_factory=dict)
    flags_set: dict[str, Pos] = field(default_factory=dict)
    counters_read: dict[str, Pos] = field(default_factory=dict)
    counters_set: dict[str, Pos] = field(default_factory=dict)
    bites_player: bool = False
    kills_player: bool = False


class _Builder:
    def __init__(self, root: Path, display_root: str) -> None:
        self.root = root
        self.display_root = display_root
        self.diags: list[Diagnostic] = []
        self.ctx = Context()
        self.refs = _Refs()
        self.stats = Stats()
        self.path = ""
        self.flags: dict[str, str] = {}
        self.flag_pos: dict[str, Pos] = {}
        self.counters: dict[str, int] = {}
        self.counter_pos: dict[str, Pos] = {}
        self.scenes: dict[str, Scene] = {}
        self.events: list[EventRule] = []
        self.words = 0
        # conditions repeat a lot (`present(ha-ri)`): compile each source once
        self.compiled: dict[str, tuple[Any, list[Ref]]] = {}

    # -- positions and diagnostics -------------------------------------------------

    def display(self, path: Path) -> str:
        return os.path.join(self.display_root, os.path.relpath(path, self.root))

    def pos(self, packed: int | None) -> Pos:
        if packed is None:
            return Pos(self.path, 1, 1)
        # tuple.__new__ skips the NamedTuple's Python-level constructor: the loader makes
        # a Pos for nearly every node of a story
        return _new_tuple(Pos, (self.path, (packed >> 20) + 1, (packed & 0xFFFFF) + 1))

    def kpos(self, m: YMap, key: str) -> Pos:
        return self.pos(m.kpos.get(key, m.pos))

    def vpos(self, m: YMap, key: str) -> Pos:
        return self.pos(m.vpos.get(key, m.pos))

    def error(self, pos: Pos, message: str) -> None:
        self.diags.append(Diagnostic.at(pos, "error", message))

    def warning(self, pos: Pos, message: str) -> None:
        self.diags.append(Diagnostic.at(pos, "warning", message))

    # -- field validation ------------------------------------------------------------

    def fields(
        self,
        m: Any,
        what: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...] = (),
        at: Pos | None = None,
    ) -> YMap | None:
        if not isinstance(m, YMap):
            self.error(at or Pos(self.path, 1, 1), f"{what} must be a mapping, got {_kind(m)}")
            return None
        for key in m:
            if not isinstance(key, str) or key not in allowed:
                self.error(
                    self.kpos(m, key),
                    f"unknown field {key!r} in {what}" + did_you_mean(str(key), allowed),
                )
        for key in required:
            if key not in m:
                self.error(self.pos(m.pos), f"{what} is missing the field {key!r}")
        return m

    def text_value(self, m: YMap, key: str, what: str) -> str | None:
        value = m.get(key)
        if value is None and key not in m:
            return None
        if isinstance(value, str):
            return value
        hint = f' (quote it: "{value}")' if isinstance(value, bool | int | float) else ""
        self.error(self.vpos(m, key), f"{what}.{key} must be text, got {_kind(value)}{hint}")
        return None

    def int_value(self, m: YMap, key: str, what: str, default: int, lo: int | None = None) -> int:
        if key not in m:
            return default
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(self.vpos(m, key), f"{what}.{key} must be a whole number, got {_kind(value)}")
            return default
        if lo is not None and value < lo:
            self.error(self.vpos(m, key), f"{what}.{key} must be at least {lo}")
            return default
        return value

    def num_value(self, m: YMap, key: str, what: str, default: float) -> float:
        if key not in m:
            return default
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(self.vpos(m, key), f"{what}.{key} must be a number, got {_kind(value)}")
            return default
        return float(value)

    def bool_value(self, m: YMap, key: str, what: str, default: bool) -> bool:
        if key not in m:
            return default
        value = m[key]
        if not isinstance(value, bool):
            self.error(self.vpos(m, key), f"{what}.{key} must be true or false, got {_kind(value)}")
            return default
        return value

    def id_value(self, m: YMap, key: str, what: str) -> str | None:
        value = self.text_value(m, key, what)
        if value is None:
            return None
        if not ID_RE.match(value):
            self.error(
                self.vpos(m, key),
                f"{what}.{key} {value!r} is not an id (lower-case words joined by '-')",
            )
            return None
        return value

    def items_of(self, m: YMap, key: str, what: str) -> Iterator[tuple[Any, Pos]]:
        value = m.get(key)
        if value is None:
            return
        if not isinstance(value, YList):
            self.error(self.vpos(m, key), f"{what}.{key} must be a list, got {_kind(value)}")
            return
        for i, item in enumerate(value):
            yield item, self.pos(value.ipos[i])

    # -- conditions, templates, text -------------------------------------------------

    def condition(self, source: Any, pos: Pos, quoted_shift: int = 0) -> Condition | None:
        if isinstance(source, bool):
            source = "true" if source else "false"
        if not isinstance(source, str):
            self.error(pos, f"a condition must be text, got {_kind(source)}")
            return None
        cached = self.compiled.get(source)
        if cached is None:
            try:
                cached = compile_condition(source, self.ctx)
            except ExprError as exc:
                self.error(self._shift(pos, exc.offset, source), f"bad condition: {exc.message}")
                return None
            self.compiled[source] = cached
        fn, refs = cached
        for ref in refs:
            self.note_ref(ref, self._shift(pos, ref.offset, source))
        return Condition(source, fn, pos)

    @staticmethod
    def _shift(pos: Pos, offset: int, source: str) -> Pos:
        if "\n" in source[:offset]:
            return pos
        return Pos(pos.path, pos.line, pos.col + offset)

    def note_ref(self, ref: Ref, pos: Pos) -> None:
        if ref.kind == "flag":
            self.refs.flags_read.setdefault(ref.name, pos)
        elif ref.kind == "counter":
            self.refs.counters_read.setdefault(ref.name, pos)
        self.refs.names.append((ref.kind, ref.name, pos))

    def template_of(self, m: YMap, key: str, source: str) -> Template:
        if "{" not in source and "}" not in source:
            self.words += len(source.split())
            return Template(source, (source,) if source else ())
        return self.template(source, self.vpos(m, key))

    def template(self, source: str, pos: Pos) -> Template:
        self.words += len(source.split())
        if "{" not in source and "}" not in source:
            return Template(source, (source,) if source else ())
        parts: list[str | tuple[str, str]] = []
        last = 0
        literal: list[str] = []
        for match in _TEMPLATE_RE.finditer(source):
            literal.append(source[last : match.start()])
            last = match.end()
            token = match.group(0)
            if token == "{{":
                literal.append("{")
                continue
            if token == "}}":
                literal.append("}")
                continue
            key = match.group(1)
            if key is None:
                self.error(pos, f"unmatched {token!r} in text (write {token * 2} for a brace)")
                literal.append(token)
                continue
            key = key.strip()
            kind, _, arg = key.partition(":")
            if kind in ("item", "counter") and arg:
                self.refs.names.append((kind, arg, pos))
                if kind == "counter":
                    self.refs.counters_read.setdefault(arg, pos)
                lookup: tuple[str, str] = (kind, arg)
            elif key in ("player", "time", "day", WHO):
                lookup = (key, "")
            elif ID_RE.match(key):
                self.refs.names.append(("member", key, pos))
                lookup = ("name", key)
            else:
                self.error(pos, f"unknown substitution {{{key}}}")
                continue
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(lookup)
        literal.append(source[last:])
        if "".join(literal):
            parts.append("".join(literal))
        return Template(source, tuple(parts))

    def text(self, value: Any, pos: Pos, what: str) -> Text:
        if isinstance(value, str):
            return Text((TextBlock(self.template(value, pos)),))
        if not isinstance(value, YList):
            self.error(pos, f"{what} must be text or a list of paragraphs, got {_kind(value)}")
            return Text(())
        blocks: list[TextBlock] = []
        for i, item in enumerate(value):
            ipos = self.pos(value.ipos[i])
            if isinstance(item, str):
                blocks.append(TextBlock(self.template(item, ipos)))
                continue
            m = self.fields(item, f"a paragraph of {what}", ("if", "text", "else", "quiet"), ("text",), ipos)
            if m is None:
                continue
            self.quiet(m)
            when = self.condition(m["if"], self.vpos(m, "if")) if "if" in m else None
            body = self.text_value(m, "text", "paragraph")
            other = self.text_value(m, "else", "paragraph")
            if body is None:
                continue
            blocks.append(
                TextBlock(
                    self.template_of(m, "text", body),
                    when,
                    self.template_of(m, "else", other) if other is not None else None,
                )
            )
        return Text(tuple(blocks))

    def quiet(self, m: YMap) -> None:
        """`quiet: {rule: reason}` silences continuity findings (game/tools/continuity);
        the engine only checks its shape."""
        raw = m.get("quiet")
        if raw is None and "quiet" not in m:
            return
        if not isinstance(raw, YMap) or not raw:
            self.error(self.vpos(m, "quiet"), f"quiet must be a mapping of rule: reason, got {_kind(raw)}")
            return
        for rule, reason in raw.items():
            if rule not in QUIET_RULES:
                self.error(
                    self.pos(raw.kpos.get(rule)),
                    f"unknown continuity rule {rule!r} in quiet (one of {', '.join(QUIET_RULES)})"
                    + did_you_mean(str(rule), QUIET_RULES),
                )
            elif not isinstance(reason, str) or not reason.strip():
                self.error(self.pos(raw.vpos.get(rule, raw.pos)), f"quiet: {rule} needs a reason (text)")

    # -- effects ---------------------------------------------------------------------

    def effects_of(self, m: YMap, key: str) -> tuple[Effect, ...]:
        value = m.get(key)
        if value is None:
            return ()
        return self.effects(value, self.vpos(m, key), key)

    def effects(self, value: Any, pos: Pos, what: str) -> tuple[Effect, ...]:
        if value is None:
            return ()
        if not isinstance(value, YList):
            self.error(pos, f"{what} must be a list of effects, got {_kind(value)}")
            return ()
        out: list[Effect] = []
        for i, item in enumerate(value):
            effect = self.effect(item, self.pos(value.ipos[i]))
            if effect is not None:
                out.append(effect)
        return tuple(out)

    def member_arg(self, value: Any, pos: Pos, op: str, allow_all: bool = False) -> str | None:
        if not isinstance(value, str):
            self.error(pos, f"{op}: expects a member id, got {_kind(value)}")
            return None
        if value in (PLAYER, WHO) or (allow_all and value == "all"):
            return value
        self.refs.names.append(("member", value, pos))
        return value

    def counts(self, value: Any, pos: Pos, op: str, kind: str) -> tuple[tuple[str, int], ...]:
        if not isinstance(value, YMap):
            self.error(pos, f"{op}: expects a mapping like {{name: 1}}, got {_kind(value)}")
            return ()
        out: list[tuple[str, int]] = []
        for name, n in value.items():
            npos = self.pos(value.vpos.get(name))
            if isinstance(n, bool) or not isinstance(n, int):
                self.error(npos, f"{op}: {name} must be a whole number, got {_kind(n)}")
                continue
            self.refs.names.append((kind, str(name), self.pos(value.kpos.get(name))))
            out.append((str(name), n))
        return tuple(out)

    def effect(self, item: Any, pos: Pos) -> Effect | None:
        if not isinstance(item, YMap) or not item:
            self.error(pos, f"an effect must be a one-key mapping like {{join: on-jo}}, got {_kind(item)}")
            return None
        if "if" in item:
            m = self.fields(item, "a conditional effect", ("if", "then", "else"), ("if",), pos)
            if m is None:
                return None
            cond = self.condition(m["if"], self.vpos(m, "if"))
            then = self.effects(m.get("then"), self.vpos(m, "then"), "then")
            other = self.effects(m.get("else"), self.vpos(m, "else"), "else")
            return Effect("if", (), pos, then, other, cond)
        if len(item) != 1:
            self.error(pos, f"an effect has one key; this one has {len(item)}: {', '.join(map(str, item))}")
            return None
        ((op, arg),) = item.items()
        apos = self.vpos(item, op)
        if op not in EFFECTS:
            self.error(self.kpos(item, op), f"unknown effect {op!r}" + did_you_mean(str(op), EFFECTS))
            return None
        if op in MEMBER_EFFECTS:
            mid = self.member_arg(arg, apos, op)
            if mid is None:
                return None
            if op == "kill" and mid in (PLAYER, WHO):
                self.refs.kills_player = True
            if op == "turn" and mid in (PLAYER, WHO):
                self.refs.bites_player = True
            return Effect(op, (mid,), pos)
        if op == "reveal":
            mid = self.member_arg(arg, apos, op, allow_all=True)
            return Effect(op, (mid,), pos) if mid else None
        if op == "bite":
            concealed = False
            if isinstance(arg, YMap):
                m = self.fields(arg, "bite", ("who", "concealed"), ("who",), apos)
                if m is None or "who" not in m:
                    return None
                concealed = self.bool_value(m, "concealed", "bite", False)
                mid = self.member_arg(m["who"], self.vpos(m, "who"), op)
            else:
                mid = self.member_arg(arg, apos, op)
            if mid is None:
                return None
            if mid in (PLAYER, WHO):
                self.refs.bites_player = True
            return Effect(op, (mid, concealed), pos)
        if op in ("give", "take"):
            return Effect(op, self.counts(arg, apos, op, "item"), pos)
        if op in ("add", "counter"):
            pairs = self.counts(arg, apos, op, "counter")
            for name, _ in pairs:
                self.refs.counters_set.setdefault(name, apos)
            return Effect(op, pairs, pos)
        if op in ("set", "clear"):
            names = arg if isinstance(arg, YList) else [arg]
            flags: list[str] = []
            for j, name in enumerate(names):
                fpos = self.pos(names.ipos[j]) if isinstance(names, YList) else apos
                if not isinstance(name, str):
                    self.error(fpos, f"{op}: expects a flag name, got {_kind(name)}")
                    continue
                self.refs.names.append(("flag", name, fpos))
                self.refs.flags_set.setdefault(name, fpos)
                flags.append(name)
            return Effect(op, tuple(flags), pos)
        if op in ("noise", "advance"):
            if isinstance(arg, bool) or not isinstance(arg, int):
                self.error(apos, f"{op}: expects a whole number, got {_kind(arg)}")
                return None
            if op == "advance" and arg < 0:
                self.error(apos, "advance: the clock never goes back")
                return None
            return Effect(op, (arg,), pos)
        return None  # pragma: no cover - every op is handled above

    # -- choices and scenes ---------------------------------------------------------------

    def modifiers(self, m: YMap, key: str, what: str) -> tuple[Modifier, ...]:
        out: list[Modifier] = []
        for item, ipos in self.items_of(m, key, what):
            mm = self.fields(item, "a modifier", ("if", "add"), ("if", "add"), ipos)
            if mm is None or "if" not in mm:
                continue
            cond = self.condition(mm["if"], self.vpos(mm, "if"))
            add = self.num_value(mm, "add", "modifier", 0.0)
            if cond is not None:
                out.append(Modifier(cond, add))
        return tuple(out)

    def target(self, m: YMap, what: str) -> tuple[str | None, bool]:
        goto = self.id_value(m, "goto", what) if "goto" in m else None
        returns = self.bool_value(m, "return", what, False)
        if goto is not None:
            self.refs.names.append(("scene", goto, self.vpos(m, "goto")))
        return goto, returns

    def choice(self, item: Any, pos: Pos, scene_id: str) -> Choice | None:
        m = self.fields(item, f"a choice of {scene_id!r}", CHOICE_FIELDS, ("id", "label"), pos)
        if m is None:
            return None
        self.quiet(m)
        cid = self.id_value(m, "id", "choice")
        label = self.text_value(m, "label", "choice")
        if cid is None or label is None:
            return None
        what = f"choice {scene_id}/{cid}"
        goto, returns = self.target(m, what)
        outcomes: list[Outcome] = []
        for o, opos in self.items_of(m, "roll", what):
            om = self.fields(
                o,
                f"an outcome of {what}",
                ("chance", "modifiers", "goto", "return", "effects", "text"),
                ("chance",),
                opos,
            )
            if om is None:
                continue
            ogoto, oret = self.target(om, "outcome")
            if (ogoto is None) == (not oret):
                self.error(opos, "an outcome needs exactly one of goto: or return: true")
            otext = self.text_value(om, "text", "outcome")
            chance = self.num_value(om, "chance", "outcome", 0.0)
            if chance < 0:
                self.error(self.vpos(om, "chance"), "chance must not be negative")
            outcomes.append(
                Outcome(
                    chance=chance,
                    modifiers=self.modifiers(om, "modifiers", "outcome"),
                    goto=ogoto,
                    effects=self.effects_of(om, "effects"),
                    text=self.template_of(om, "text", otext) if otext is not None else None,
                    returns=oret,
                    pos=opos,
                )
            )
        ways = sum((goto is not None, returns, "roll" in m))
        if ways != 1:
            self.error(pos, f"{what} needs exactly one of goto:, roll: or return: true")
        if "roll" in m and not outcomes and isinstance(m.get("roll"), YList):
            self.error(self.vpos(m, "roll"), f"{what}: a roll needs at least one outcome")
        requires: list[Requirement] = []
        reqs = m.get("requires")
        if isinstance(reqs, YMap):
            reqs_list: list[tuple[Any, Pos]] = [(reqs, self.vpos(m, "requires"))]
        else:
            reqs_list = list(self.items_of(m, "requires", what))
        for r, rpos in reqs_list:
            rm = self.fields(r, "a requirement", ("if", "reason"), ("if", "reason"), rpos)
            if rm is None or "if" not in rm:
                continue
            cond = self.condition(rm["if"], self.vpos(rm, "if"))
            reason = self.text_value(rm, "reason", "requirement") or ""
            self.words += len(reason.split())
            if cond is not None:
                requires.append(Requirement(cond, reason))
        time = None
        if "time" in m:
            time = self.int_value(m, "time", what, 0, lo=0)
        return Choice(
            id=cid,
            label=self.template_of(m, "label", label),
            goto=goto,
            effects=self.effects_of(m, "effects"),
            shown_if=self.condition(m["if"], self.vpos(m, "if")) if "if" in m else None,
            requires=tuple(requires),
            roll=tuple(outcomes),
            returns=returns,
            once=self.bool_value(m, "once", what, False),
            time=time,
            pos=pos,
            text=self.template_of(m, "text", told) if (told := self.text_value(m, "text", what)) else None,
        )

    def scene(self, item: Any, pos: Pos) -> Scene | None:
        m = self.fields(item, "a scene", SCENE_FIELDS, ("id", "location", "text"), pos)
        if m is None:
            return None
        self.quiet(m)
        sid = self.id_value(m, "id", "scene")
        if sid is None:
            return None
        location = self.id_value(m, "location", f"scene {sid!r}") or ""
        if location and location != HERE:
            self.refs.names.append(("location", location, self.vpos(m, "location")))
        text = self.text(m.get("text", ""), self.vpos(m, "text"), f"scene {sid!r} text")
        choices: list[Choice] = []
        seen: dict[str, Pos] = {}
        for c, cpos in self.items_of(m, "choices", f"scene {sid!r}"):
            choice = self.choice(c, cpos, sid)
            if choice is None:
                continue
            if choice.id in seen:
                first = seen[choice.id]
                self.error(
                    cpos, f"duplicate choice id {choice.id!r} in scene {sid!r} (first at line {first.line})"
                )
                continue
            seen[choice.id] = cpos
            choices.append(choice)
        ending = None
        if "ending" in m:
            ending = self.ending(m["ending"], self.vpos(m, "ending"), sid)
        return Scene(
            id=sid,
            location=location,
            text=text,
            on_enter=self.effects_of(m, "on_enter"),
            choices=tuple(choices),
            ending=ending,
            pos=pos,
        )

    def ending(self, value: Any, pos: Pos, sid: str) -> Ending | None:
        m = self.fields(value, f"the ending of {sid!r}", ("title", "kind", "fates"), ("title", "kind"), pos)
        if m is None:
            return None
        title = self.text_value(m, "title", "ending") or sid
        kind = self.id_value(m, "kind", "ending") or "ending"
        self.words += len(title.split())
        fates: dict[str, Text] = {}
        raw = m.get("fates")
        if raw is not None:
            if not isinstance(raw, YMap):
                self.error(self.vpos(m, "fates"), f"fates must be a mapping of member ids, got {_kind(raw)}")
            else:
                for mid, fate in raw.items():
                    fpos = self.pos(raw.kpos.get(mid))
                    if mid != PLAYER:
                        self.refs.names.append(("member", str(mid), fpos))
                    fates[str(mid)] = self.text(fate, self.pos(raw.vpos.get(mid)), f"the fate of {mid}")
        return Ending(title, kind, fates, pos)

    def event(self, item: Any, pos: Pos) -> EventRule | None:
        m = self.fields(item, "an event", EVENT_FIELDS, ("id", "scene"), pos)
        if m is None:
            return None
        eid = self.id_value(m, "id", "event")
        scene = self.id_value(m, "scene", "event")
        if eid is None or scene is None:
            return None
        self.refs.names.append(("scene", scene, self.vpos(m, "scene")))
        on = self.text_value(m, "on", "event") if "on" in m else None
        when = self.condition(m["when"], self.vpos(m, "when")) if "when" in m else None
        if ("on" in m) == ("when" in m):
            self.error(pos, f"event {eid!r} needs exactly one of on: or when:")
        if on is not None and on not in HAPPENINGS:
            self.error(
                self.vpos(m, "on"),
                f"unknown happening {on!r} (one of {', '.join(HAPPENINGS)})" + did_you_mean(on, HAPPENINGS),
            )
        who: list[str] = []
        raw_who = m.get("who")
        if raw_who is not None:
            if "on" not in m:
                self.error(self.kpos(m, "who"), "who: only filters on: events")
            entries = raw_who if isinstance(raw_who, YList) else [raw_who]
            for w in entries:
                mid = self.member_arg(w, self.vpos(m, "who"), "who")
                if mid:
                    who.append(mid)
        return EventRule(
            id=eid,
            scene=scene,
            on=on,
            when=when,
            who=tuple(who),
            only_if=self.condition(m["if"], self.vpos(m, "if")) if "if" in m else None,
            returns=self.bool_value(m, "return", "event", False),
            once=self.bool_value(m, "once", "event", "when" in m),
            pos=pos,
            priority=self.int_value(m, "priority", "event", 0),
        )

    # -- declarations -------------------------------------------------------------------

    def declare_flags(self, m: YMap) -> None:
        raw = m.get("flags")
        if raw is None:
            return
        if not isinstance(raw, YMap):
            self.error(
                self.vpos(m, "flags"), f"flags must be a mapping of flag: description, got {_kind(raw)}"
            )
            return
        for name, about in raw.items():
            fpos = self.pos(raw.kpos.get(name))
            if not isinstance(name, str) or not ID_RE.match(name):
                self.error(fpos, f"flag name {name!r} is not an id (lower-case words joined by '-')")
                continue
            if name in self.flags:
                first = self.flag_pos[name]
                self.error(fpos, f"flag {name!r} is declared twice (first at {first})")
                continue
            self.flags[name] = about if isinstance(about, str) else ""
            self.flag_pos[name] = fpos

    def declare_counters(self, m: YMap) -> None:
        raw = m.get("counters")
        if raw is None:
            return
        if not isinstance(raw, YMap):
            self.error(self.vpos(m, "counters"), f"counters must be a mapping, got {_kind(raw)}")
            return
        for name, spec in raw.items():
            cpos = self.pos(raw.kpos.get(name))
            if not isinstance(name, str) or not ID_RE.match(name):
                self.error(cpos, f"counter name {name!r} is not an id")
                continue
            if name in self.counters:
                self.error(cpos, f"counter {name!r} is declared twice (first at {self.counter_pos[name]})")
                continue
            start = 0
            if spec is not None:
                sm = self.fields(
                    spec, f"counter {name!r}", ("start", "about"), (), self.pos(raw.vpos.get(name))
                )
                if sm is not None:
                    start = self.int_value(sm, "start", f"counter {name!r}", 0)
            self.counters[name] = start
            self.counter_pos[name] = cpos

    def scene_file(self, data: Any) -> None:
        m = self.fields(data, "a scene file", ("scenes", "events", "flags", "counters"), ("scenes",))
        if m is None:
            return
        self.declare_flags(m)
        self.declare_counters(m)
        for item, pos in self.items_of(m, "scenes", "the file"):
            scene = self.scene(item, pos)
            if scene is None:
                continue
            if scene.id in self.scenes:
                first = self.scenes[scene.id].pos
                self.error(pos, f"duplicate scene id {scene.id!r} (first at {first})")
                continue
            self.scenes[scene.id] = scene
        for item, pos in self.items_of(m, "events", "the file"):
            event = self.event(item, pos)
            if event is not None:
                self.events.append(event)


SCENE_FIELDS = ("id", "location", "text", "on_enter", "choices", "ending", "quiet")
CHOICE_FIELDS = (
    "id", "label", "goto", "roll", "return", "if", "requires", "effects", "time", "once", "text", "quiet"
)  # fmt: skip
# the continuity checker's rules (game/tools/continuity), silenced one by one with `quiet:`
QUIET_RULES = ("people", "pronoun", "repeat", "time", "place", "fact")
EVENT_FIELDS = ("id", "on", "when", "who", "if", "scene", "return", "once", "priority")

MANIFEST_FIELDS = (
    "format",
    "title",
    "start",
    "baseline_survivors",
    "player",
    "clock",
    "noise",
    "infection",
    "cast",
    "items",
    "inventory",
    "locations",
    "flags",
    "counters",
    "fates",
    "events",
    "renames",
)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _parse_clock(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):  # YAML 1.1 reads 08:40 as 520
        return value
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"(?:(\d+)d)?(\d{1,2}):(\d\d)", value.strip())
    if not match:
        return None
    day = int(match.group(1) or 1)
    return (day - 1) * 1440 + int(match.group(2)) * 60 + int(match.group(3))


def _leads_out(path: Path, real_root: Path) -> Path | None:
    """Where a symlink points, if that is outside the story folder; else None."""
    if not path.is_symlink():
        return None
    target = path.resolve()
    return None if target.is_relative_to(real_root) else target


def _story_files(root: Path, b: _Builder) -> list[Path]:
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
            if (target := _leads_out(full, real_root)) is not None:
                b.path = b.display(full)
                b.error(Pos(b.path, 1, 1), f"symlink leads out of the story folder (to {target})")
                dirnames.remove(d)
        for name in sorted(filenames):
            if not name.endswith((".yaml", ".yml")):
                continue
            full = Path(dirpath) / name
            if full.parent == root and name == MANIFEST:
                continue
            if (target := _leads_out(full, real_root)) is not None:
                b.path = b.display(full)
                b.error(Pos(b.path, 1, 1), f"symlink leads out of the story folder (to {target})")
                continue
            files.append(full)
    return files


def load_story(path: str | os.PathLike[str], display_root: str | None = None) -> LoadResult:
    """Read and check a story folder. Never raises for bad content."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the node trees are acyclic; collecting during the parse only costs time
    try:
        return _load(Path(path), display_root if display_root is not None else os.fspath(path))
    finally:
        if gc_was_enabled:
            gc.enable()


def load_or_raise(path: str | os.PathLike[str]) -> Story:
    result = load_story(path)
    if not result.ok or result.story is None:
        raise StoryError(result.diagnostics)
    return result.story


def _load(root: Path, display_root: str) -> LoadResult:
    from .check import check_story

    b = _Builder(root, display_root)
    manifest_path = root / MANIFEST
    b.path = os.path.join(display_root, MANIFEST)
    if not root.is_dir():
        b.error(Pos(display_root, 1, 1), "not a story folder: no such directory")
        return LoadResult(None, b.diags, b.stats)
    if not manifest_path.is_file():
        b.error(Pos(b.path, 1, 1), f"no manifest: a story folder needs a {MANIFEST}")
        return LoadResult(None, b.diags, b.stats)
    if _leads_out(manifest_path, root.resolve()) is not None:
        b.error(Pos(b.path, 1, 1), "symlink leads out of the story folder")
        return LoadResult(None, b.diags, b.stats)

    digest = hashlib.sha256()
    raw_manifest = _read(b, manifest_path, digest)
    files = _story_files(root, b)
    scene_data: list[tuple[str, Any]] = []
    for f in files:
        data = _read(b, f, digest)
        if data is not None:
            scene_data.append((b.path, data))
    b.stats.files = 1 + len(files)
    if raw_manifest is None:
        return LoadResult(None, b.diags, b.stats)

    b.path = os.path.join(display_root, MANIFEST)
    m = b.fields(raw_manifest, "the manifest", MANIFEST_FIELDS, ("title", "start", "cast", "locations"))
    if m is None:
        return LoadResult(None, b.diags, b.stats)
    story_kwargs = _manifest(b, m)
    manifest_events = list(b.events)
    b.events = []
    for display, data in scene_data:
        b.path = display
        b.scene_file(data)
    # higher priority first; equal priorities keep file order (manifest first)
    events = tuple(sorted(manifest_events + b.events, key=lambda e: -e.priority))

    cast = story_kwargs["cast"]
    locations = story_kwargs["locations"]
    b.ctx.scene_location.update({sid: s.location for sid, s in b.scenes.items()})
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
    b.stats.scenes = len(b.scenes)
    b.stats.choices = sum(len(s.choices) for s in b.scenes.values())
    b.stats.endings = sum(1 for s in b.scenes.values() if s.ending is not None)
    b.stats.cast = len(cast)
    b.stats.events = len(events)
    b.stats.words = b.words
    check_story(story, b)
    b.diags.sort()
    return LoadResult(story, b.diags, b.stats)


def _read(b: _Builder, path: Path, digest: Any) -> Any:
    b.path = b.display(path)
    digest.update(os.fspath(path.relative_to(b.root)).encode())
    data, problems = read_yaml(os.fspath(path), digest=digest)
    for p in problems:
        b.error(Pos(b.path, p.line, p.col), p.message)
    if problems and any("duplicate key" not in p.message for p in problems):
        return None
    if data is None and not problems:
        b.error(Pos(b.path, 1, 1), "the file is empty")
    return data


def _manifest(b: _Builder, m: YMap) -> dict[str, Any]:
    out: dict[str, Any] = {}
    fmt = m.get("format", 1)
    if fmt != 1:
        b.error(b.vpos(m, "format"), f"unsupported story format {fmt!r} (this engine reads format 1)")
    out["title"] = b.text_value(m, "title", "manifest") or "Untitled"
    start = b.id_value(m, "start", "manifest")
    out["start"] = start or ""
    if start:
        b.refs.names.append(("scene", start, b.vpos(m, "start")))
    out["baseline_survivors"] = b.int_value(m, "baseline_survivors", "manifest", 6, lo=0)

    player = m.get("player")
    out["player_name"] = "Player"
    out["player_traits"] = frozenset()
    if player is not None:
        pm = b.fields(player, "player", ("default_name", "traits"), (), b.vpos(m, "player"))
        if pm is not None:
            out["player_name"] = b.text_value(pm, "default_name", "player") or "Player"
            out["player_traits"] = frozenset(_names(b, pm, "traits", "player"))

    clock = m.get("clock")
    if clock is not None:
        cm = b.fields(clock, "clock", ("start", "step"), (), b.vpos(m, "clock"))
        if cm is not None:
            if "start" in cm:
                start_clock = _parse_clock(cm["start"])
                if start_clock is None:
                    b.error(b.vpos(cm, "start"), "clock.start must look like 1d08:40")
                else:
                    out["clock_start"] = start_clock
            out["clock_step"] = b.int_value(cm, "step", "clock", 5, lo=0)

    noise = m.get("noise")
    if noise is not None:
        nm = b.fields(noise, "noise", ("max", "decay_minutes"), (), b.vpos(m, "noise"))
        if nm is not None:
            out["noise_max"] = b.int_value(nm, "max", "noise", 10, lo=1)
            out["noise_decay"] = b.int_value(nm, "decay_minutes", "noise", 30, lo=0)

    out["infection"] = _infection(b, m)

    cast: dict[str, Member] = {}
    raw_cast = m.get("cast")
    if isinstance(raw_cast, YMap):
        for mid, spec in raw_cast.items():
            cpos = b.pos(raw_cast.kpos.get(mid))
            if not isinstance(mid, str) or not ID_RE.match(mid) or mid in (PLAYER, WHO, "all"):
                b.error(cpos, f"cast id {mid!r} is not a usable id")
                continue
            cm = b.fields(
                spec,
                f"cast member {mid!r}",
                ("name", "traits", "with", "hambie", "incubation"),
                ("name",),
                b.pos(raw_cast.vpos.get(mid)),
            )
            if cm is None:
                continue
            name = b.text_value(cm, "name", mid) or mid
            cast[mid] = Member(
                id=mid,
                name=name,
                traits=frozenset(_names(b, cm, "traits", mid)),
                starts_with=b.bool_value(cm, "with", mid, False),
                hambie=b.num_value(cm, "hambie", mid, 0.0),
                incubation=b.num_value(cm, "incubation", mid, 1.0),
            )
    elif raw_cast is not None:
        b.error(b.vpos(m, "cast"), f"cast must be a mapping of member ids, got {_kind(raw_cast)}")
    out["cast"] = cast

    items: dict[str, Item] = {}
    raw_items = m.get("items")
    if isinstance(raw_items, YMap):
        for iid, spec in raw_items.items():
            ipos = b.pos(raw_items.kpos.get(iid))
            if not isinstance(iid, str) or not ID_RE.match(iid):
                b.error(ipos, f"item id {iid!r} is not an id")
                continue
            im = b.fields(spec, f"item {iid!r}", ("name", "max"), ("name",), b.pos(raw_items.vpos.get(iid)))
            if im is None:
                continue
            mx = b.int_value(im, "max", iid, -1, lo=1) if "max" in im else None
            items[iid] = Item(iid, b.text_value(im, "name", iid) or iid, mx if mx and mx > 0 else None)
    elif raw_items is not None:
        b.error(b.vpos(m, "items"), f"items must be a mapping, got {_kind(raw_items)}")
    out["items"] = items

    inventory: dict[str, int] = {}
    raw_inv = m.get("inventory")
    if raw_inv is not None:
        for name, n in b.counts(raw_inv, b.vpos(m, "inventory"), "inventory", "item"):
            inventory[name] = n
    out["inventory"] = inventory

    locations: dict[str, Location] = {}
    raw_locs = m.get("locations")
    if isinstance(raw_locs, YMap):
        for lid, spec in raw_locs.items():
            lpos = b.pos(raw_locs.kpos.get(lid))
            if not isinstance(lid, str) or not ID_RE.match(lid):
                b.error(lpos, f"location id {lid!r} is not an id")
                continue
            lm = b.fields(
                spec,
                f"location {lid!r}",
                ("name", "area", "map"),
                ("name", "area"),
                b.pos(raw_locs.vpos.get(lid)),
            )
            if lm is None:
                continue
            where = None
            if "map" in lm:
                raw_map = lm["map"]
                if (
                    isinstance(raw_map, list)
                    and len(raw_map) == 2
                    and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 32 for v in raw_map)
                ):
                    where = (int(raw_map[0]), int(raw_map[1]))
                else:
                    b.error(
                        b.vpos(lm, "map"), f"location {lid!r}: map must be [x, y] with small whole numbers"
                    )
            locations[lid] = Location(
                lid, b.text_value(lm, "name", lid) or lid, b.id_value(lm, "area", lid) or "world", where
            )
    out["locations"] = locations

    b.declare_flags(m)
    b.declare_counters(m)

    fates: dict[str, Template] = {
        k: _fate_template(b, v, Pos(b.path, 1, 1)) for k, v in DEFAULT_FATES.items()
    }
    raw_fates = m.get("fates")
    if raw_fates is not None:
        fm = b.fields(raw_fates, "fates", tuple(DEFAULT_FATES), (), b.vpos(m, "fates"))
        if fm is not None:
            for key in fm:
                text = b.text_value(fm, key, "fates")
                if text is not None and key in DEFAULT_FATES:
                    fates[key] = _fate_template(b, text, b.vpos(fm, key))
    out["fates"] = fates

    for item, pos in b.items_of(m, "events", "the manifest"):
        event = b.event(item, pos)
        if event is not None:
            b.events.append(event)

    out["scene_renames"], out["choice_renames"] = _renames(b, m)
    return out


def _fate_template(b: _Builder, text: str, pos: Pos) -> Template:
    return b.template(text.replace("{name}", "{who}"), pos)


def _names(b: _Builder, m: YMap, key: str, what: str) -> list[str]:
    out: list[str] = []
    for item, pos in b.items_of(m, key, what):
        if isinstance(item, str) and ID_RE.match(item):
            out.append(item)
        else:
            b.error(pos, f"{what}.{key}: {item!r} is not an id")
    return out


def _infection(b: _Builder, m: YMap) -> Infection:
    raw = m.get("infection")
    if raw is None:
        return Infection()
    im = b.fields(
        raw,
        "infection",
        ("incubation", "hambie_chance", "hambie_modifiers", "hunger"),
        (),
        b.vpos(m, "infection"),
    )
    if im is None:
        return Infection()
    lo, hi = 20, 240
    if "incubation" in im:
        inc = b.fields(
            im["incubation"], "infection.incubation", ("min", "max"), ("min", "max"), b.vpos(im, "incubation")
        )
        if inc is not None:
            lo = b.int_value(inc, "min", "incubation", 20, lo=0)
            hi = b.int_value(inc, "max", "incubation", 240, lo=0)
            if hi < lo:
                b.error(b.vpos(inc, "max"), "incubation.max is below incubation.min")
                hi = lo
    chance = b.num_value(im, "hambie_chance", "infection", 0.05)
    if not 0 <= chance <= 1:
        b.error(b.vpos(im, "hambie_chance"), "hambie_chance must be between 0 and 1")
    hunger = Infection()
    per_hour, rising, crisis, after = (
        hunger.hunger_per_hour,
        hunger.hunger_rising,
        hunger.hunger_crisis,
        hunger.hunger_after_feed,
    )
    if "hunger" in im:
        hm = b.fields(
            im["hunger"],
            "infection.hunger",
            ("per_hour", "rising", "crisis", "after_feed"),
            (),
            b.vpos(im, "hunger"),
        )
        if hm is not None:
            per_hour = b.num_value(hm, "per_hour", "hunger", per_hour)
            rising = b.int_value(hm, "rising", "hunger", rising, lo=0)
            crisis = b.int_value(hm, "crisis", "hunger", crisis, lo=1)
            after = b.int_value(hm, "after_feed", "hunger", after, lo=0)
    return Infection(
        incubation_min=lo,
        incubation_max=hi,
        hambie_chance=chance,
        hambie_modifiers=b.modifiers(im, "hambie_modifiers", "infection"),
        hunger_per_hour=per_hour,
        hunger_rising=rising,
        hunger_crisis=crisis,
        hunger_after_feed=after,
    )


def _renames(b: _Builder, m: YMap) -> tuple[dict[str, str], dict[str, str]]:
    scenes: dict[str, str] = {}
    choices: dict[str, str] = {}
    raw = m.get("renames")
    if raw is None:
        return scenes, choices
    rm = b.fields(raw, "renames", ("scenes", "choices"), (), b.vpos(m, "renames"))
    if rm is None:
        return scenes, choices
    for key, into in (("scenes", scenes), ("choices", choices)):
        table = rm.get(key)
        if table is None:
            continue
        if not isinstance(table, YMap):
            b.error(b.vpos(rm, key), f"renames.{key} must be a mapping old: new")
            continue
        for old, new in table.items():
            pos = b.pos(table.vpos.get(old))
            if not isinstance(old, str) or not isinstance(new, str):
                b.error(pos, f"renames.{key}: ids must be text")
                continue
            if key == "scenes":
                b.refs.names.append(("scene", new, pos))
            elif "/" not in old:
                b.error(b.pos(table.kpos.get(old)), "renames.choices keys are scene-id/old-choice-id")
                continue
            into[old] = new
    return scenes, choices
