"""Effects: `{op: argument}` mappings -> the typed effects of `engine.effects`.

Which effects exist and how each argument is read is the effect table's business
(`engine.effects.EFFECT_SPECS`); this module finds the row, reports a positioned error for
an unknown key, and supplies the argument readers the table's kinds call.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import did_you_mean
from ..effects import EFFECTS, SPECS_BY_OP, Bite, Conditional, Effect, Kill, Turn
from ..model import PLAYER, WHO, Pos
from ..timeofday import parse_hhmm
from ..yamlpos import YList, YMap
from .reader import kind_of
from .text import TextReader


class EffectReader(TextReader):
    def effects_of(self, m: YMap, key: str) -> tuple[Effect, ...]:
        value = m.get(key)
        if value is None:
            return ()
        return self.effects(value, self.vpos(m, key), key)

    def effects(self, value: Any, pos: Pos, what: str) -> tuple[Effect, ...]:
        if value is None:
            return ()
        if not isinstance(value, YList):
            self.error(pos, f"{what} must be a list of effects, got {kind_of(value)}")
            return ()
        out: list[Effect] = []
        for i, item in enumerate(value):
            effect = self.effect(item, self.pos(value.ipos[i]))
            if effect is not None:
                out.append(effect)
        return tuple(out)

    def effect(self, item: Any, pos: Pos) -> Effect | None:
        if not isinstance(item, YMap) or not item:
            self.error(pos, f"an effect must be a one-key mapping like {{join: on-jo}}, got {kind_of(item)}")
            return None
        if "if" in item:
            m = self.fields(item, "a conditional effect", ("if", "then", "else"), ("if",), pos)
            if m is None:
                return None
            cond = self.condition(m["if"], self.vpos(m, "if"))
            then = self.effects(m.get("then"), self.vpos(m, "then"), "then")
            other = self.effects(m.get("else"), self.vpos(m, "else"), "else")
            return Conditional(cond, then, other, pos)
        if len(item) != 1:
            self.error(pos, f"an effect has one key; this one has {len(item)}: {', '.join(map(str, item))}")
            return None
        ((op, arg),) = item.items()
        spec = SPECS_BY_OP.get(op) if isinstance(op, str) else None
        if spec is None:
            self.error(self.kpos(item, op), f"unknown effect {op!r}" + did_you_mean(str(op), EFFECTS))
            return None
        values = spec.arg.read(self, arg, self.vpos(item, op), op)
        if values is None:
            return None
        effect: Effect = spec.cls(*values, pos)
        if isinstance(effect, (Kill, Turn, Bite)) and effect.who in (PLAYER, WHO):
            if isinstance(effect, Kill):
                self.refs.kills_player = True
            else:
                self.refs.bites_player = True
        return effect

    # -- argument readers (called by the effect table's argument kinds) -------------------

    def member_arg(self, value: Any, pos: Pos, op: str, allow_all: bool = False) -> str | None:
        if not isinstance(value, str):
            self.error(pos, f"{op}: expects a member id, got {kind_of(value)}")
            return None
        if value in (PLAYER, WHO) or (allow_all and value == "all"):
            return value
        self.refs.uses.append(("member", value, pos))
        return value

    def counts(self, value: Any, pos: Pos, op: str, kind: str) -> tuple[tuple[str, int], ...]:
        if not isinstance(value, YMap):
            self.error(pos, f"{op}: expects a mapping like {{name: 1}}, got {kind_of(value)}")
            return ()
        out: list[tuple[str, int]] = []
        for name, n in value.items():
            npos = self.pos(value.vpos.get(name))
            if isinstance(n, bool) or not isinstance(n, int):
                self.error(npos, f"{op}: {name} must be a whole number, got {kind_of(n)}")
                continue
            self.refs.uses.append((kind, str(name), self.pos(value.kpos.get(name))))
            out.append((str(name), n))
        return tuple(out)

    def parting_arg(self, value: Any, pos: Pos, op: str) -> tuple[str, str] | None:
        """`leave: id` or `leave: {who: id, how: "was taken by the army"}` (and `separate`)."""
        how = ""
        if isinstance(value, YMap):
            m = self.fields(value, op, ("who", "how"), ("who",), pos)
            if m is None or "who" not in m:
                return None
            mid = self.member_arg(m["who"], self.vpos(m, "who"), op)
            if "how" in m:
                text = self.text_value(m, "how", op)
                if text is None:
                    return None
                how = " ".join(text.split())
                if not how:
                    self.error(self.vpos(m, "how"), f"{op}: how is empty (leave it out for the default)")
                    return None
        else:
            mid = self.member_arg(value, pos, op)
        return None if mid is None else (mid, how)

    def bite_arg(self, value: Any, pos: Pos, op: str) -> tuple[str, bool, str] | None:
        concealed = False
        by: str | None = ""
        if isinstance(value, YMap):
            m = self.fields(value, "bite", ("who", "concealed", "by"), ("who",), pos)
            if m is None or "who" not in m:
                return None
            concealed = self.bool_value(m, "concealed", "bite", False)
            mid = self.member_arg(m["who"], self.vpos(m, "who"), op)
            if "by" in m:
                by = self.member_arg(m["by"], self.vpos(m, "by"), "bite: by")
        else:
            mid = self.member_arg(value, pos, op)
        return None if mid is None or by is None else (mid, concealed, by)

    def advance_arg(self, value: Any, pos: Pos, op: str) -> tuple[int, int, int | None] | None:
        """`advance: minutes` or `advance: {days, hours, minutes, at: "HH:MM"}`."""
        if not isinstance(value, YMap):
            if isinstance(value, bool) or not isinstance(value, int):
                self.error(pos, f'{op}: expects minutes or a mapping like {{days: 7, at: "14:00"}}')
                return None
            if value < 0:
                self.error(pos, f"{op}: the clock never goes back")
                return None
            return (value, 0, None)
        m = self.fields(value, op, ("days", "hours", "minutes", "at"), (), pos)
        if m is None:
            return None
        days = self.int_value(m, "days", op, 0, lo=0)
        minutes = self.int_value(m, "hours", op, 0, lo=0) * 60 + self.int_value(m, "minutes", op, 0, lo=0)
        at = None
        if "at" in m:
            raw = m["at"]
            at = parse_hhmm(raw) if isinstance(raw, str) else None
            if at is None:
                where = self.vpos(m, "at")
                self.error(where, f'{op}: at {raw!r} is not a time of day (write "14:00", quoted)')
                return None
        return (minutes, days, at)

    def flag_names(self, value: Any, pos: Pos, op: str) -> tuple[str, ...]:
        names = value if isinstance(value, YList) else [value]
        flags: list[str] = []
        for j, name in enumerate(names):
            fpos = self.pos(names.ipos[j]) if isinstance(names, YList) else pos
            if not isinstance(name, str):
                self.error(fpos, f"{op}: expects a flag name, got {kind_of(name)}")
                continue
            self.refs.uses.append(("flag", name, fpos))
            self.refs.flags_set.setdefault(name, fpos)
            flags.append(name)
        return tuple(flags)
