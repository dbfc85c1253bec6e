"""Scenes, choices, endings, events and the flag and counter declarations of a file."""

from __future__ import annotations

from typing import Any

from ..diagnostics import did_you_mean
from ..model import (
    HAPPENINGS,
    HERE,
    Choice,
    EventRule,
    Modifier,
    Outcome,
    Pos,
    Requirement,
    Scene,
)
from ..timeofday import CLOCK_MODES
from ..yamlpos import YList, YMap
from .fates import FateReader
from .reader import ID_RE, kind_of


class SceneReader(FateReader):
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
        returns = self.bool_value(m, "return", what, False) if "return" in m else False
        if goto is not None:
            self.refs.uses.append(("scene", goto, self.vpos(m, "goto")))
        return goto, returns

    def choice(self, item: Any, pos: Pos, scene_id: str) -> Choice | None:
        m = self.fields(item, f"a choice of {scene_id!r}", CHOICE_FIELDS, ("id", "label"), pos)
        if m is None:
            return None
        # (the `in m` tests below skip calls that would find nothing: ~30,000 choices)
        if "quiet" in m:
            self.quiet(m)
        cid = self.id_value(m, "id", "choice")
        label = self.text_value(m, "label", "choice")
        if cid is None or label is None:
            return None
        what = f"choice {scene_id}/{cid}"
        goto, returns = self.target(m, what)
        outcomes: list[Outcome] = []
        for o, opos in self.items_of(m, "roll", what) if "roll" in m else ():
            om = self.fields(
                o,
                f"an outcome of {what}",
                ("chance", "if", "modifiers", "goto", "return", "effects", "text"),
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
            only_if = self.condition(om["if"], self.vpos(om, "if")) if "if" in om else None
            outcomes.append(
                Outcome(
                    chance=chance,
                    modifiers=self.modifiers(om, "modifiers", "outcome"),
                    goto=ogoto,
                    effects=self.effects_of(om, "effects"),
                    text=self.template_of(om, "text", otext) if otext is not None else None,
                    returns=oret,
                    pos=opos,
                    only_if=only_if,
                )
            )
        ways = sum((goto is not None, returns, "roll" in m))
        if ways != 1:
            self.error(pos, f"{what} needs exactly one of goto:, roll: or return: true")
        if "roll" in m and not outcomes and isinstance(m.get("roll"), YList):
            self.error(self.vpos(m, "roll"), f"{what}: a roll needs at least one outcome")
        requires: list[Requirement] = []
        reqs = m.get("requires")
        if reqs is None:
            reqs_list: list[tuple[Any, Pos]] = []
        elif isinstance(reqs, YMap):
            reqs_list = [(reqs, self.vpos(m, "requires"))]
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
            effects=self.effects_of(m, "effects") if "effects" in m else (),
            shown_if=self.condition(m["if"], self.vpos(m, "if")) if "if" in m else None,
            requires=tuple(requires),
            roll=tuple(outcomes),
            returns=returns,
            once=self.bool_value(m, "once", what, False) if "once" in m else False,
            time=time,
            pos=pos,
            text=(
                self.template_of(m, "text", told)
                if "text" in m and (told := self.text_value(m, "text", what))
                else None
            ),
        )

    def scene(self, item: Any, pos: Pos) -> Scene | None:
        m = self.fields(item, "a scene", SCENE_FIELDS, ("id", "location", "text"), pos)
        if m is None:
            return None
        if "quiet" in m:
            self.quiet(m)
        sid = self.id_value(m, "id", "scene")
        if sid is None:
            return None
        location = self.id_value(m, "location", f"scene {sid!r}") or ""
        if location and location != HERE:
            self.refs.uses.append(("location", location, self.vpos(m, "location")))
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
        clock = (self.text_value(m, "clock", f"scene {sid!r}") if "clock" in m else None) or "time"
        if clock not in CLOCK_MODES:
            self.error(
                self.vpos(m, "clock"),
                f"scene {sid!r}: clock {clock!r} is not one of {', '.join(CLOCK_MODES)}"
                + did_you_mean(clock, CLOCK_MODES),
            )
            clock = "time"
        apart = self.bool_value(m, "apart", f"scene {sid!r}", False)
        return Scene(
            id=sid,
            location=location,
            text=text,
            on_enter=self.effects_of(m, "on_enter") if "on_enter" in m else (),
            choices=tuple(choices),
            ending=ending,
            pos=pos,
            clock=clock,
            apart=apart,
        )

    def event(self, item: Any, pos: Pos) -> EventRule | None:
        m = self.fields(item, "an event", EVENT_FIELDS, ("id", "scene"), pos)
        if m is None:
            return None
        eid = self.id_value(m, "id", "event")
        scene = self.id_value(m, "scene", "event")
        if eid is None or scene is None:
            return None
        self.refs.uses.append(("scene", scene, self.vpos(m, "scene")))
        self.refs.define("event", eid, pos)
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
            entries = raw_who if isinstance(raw_who, YList) else [raw_who]
            if "on" not in m and len(entries) != 1:
                # on a when: event, who names the one member the event is about
                message = "who: only filters on: events (a when: event may name one member)"
                self.error(self.kpos(m, "who"), message)
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
                self.vpos(m, "flags"), f"flags must be a mapping of flag: description, got {kind_of(raw)}"
            )
            return
        for name, about in raw.items():
            fpos = self.pos(raw.kpos.get(name))
            if not isinstance(name, str) or not ID_RE.match(name):
                self.error(fpos, f"flag name {name!r} is not an id (lower-case words joined by '-')")
                continue
            if name in self.flags:
                first = self.refs.definitions["flag"][name]
                self.error(fpos, f"flag {name!r} is declared twice (first at {first})")
                continue
            self.flags[name] = about if isinstance(about, str) else ""
            self.refs.define("flag", name, fpos)

    def declare_counters(self, m: YMap) -> None:
        raw = m.get("counters")
        if raw is None:
            return
        if not isinstance(raw, YMap):
            self.error(self.vpos(m, "counters"), f"counters must be a mapping, got {kind_of(raw)}")
            return
        for name, spec in raw.items():
            cpos = self.pos(raw.kpos.get(name))
            if not isinstance(name, str) or not ID_RE.match(name):
                self.error(cpos, f"counter name {name!r} is not an id")
                continue
            if name in self.counters:
                first = self.refs.definitions["counter"][name]
                self.error(cpos, f"counter {name!r} is declared twice (first at {first})")
                continue
            start = 0
            if spec is not None:
                sm = self.fields(
                    spec, f"counter {name!r}", ("start", "about"), (), self.pos(raw.vpos.get(name))
                )
                if sm is not None:
                    start = self.int_value(sm, "start", f"counter {name!r}", 0)
            self.counters[name] = start
            self.refs.define("counter", name, cpos)

    def scene_file(self, data: Any) -> None:
        m = self.fields(data, "a scene file", SCENE_FILE_FIELDS, ("scenes",))
        if m is None:
            return
        self.declare_flags(m)
        self.declare_counters(m)
        self.declare_fate_sets(m)
        for item, pos in self.items_of(m, "scenes", "the file"):
            scene = self.scene(item, pos)
            if scene is None:
                continue
            if scene.id in self.scenes:
                first = self.scenes[scene.id].pos
                self.error(pos, f"duplicate scene id {scene.id!r} (first at {first})")
                continue
            self.scenes[scene.id] = scene
            self.refs.define("scene", scene.id, pos)
        for item, pos in self.items_of(m, "events", "the file"):
            event = self.event(item, pos)
            if event is not None:
                self.events.append(event)


SCENE_FILE_FIELDS = ("scenes", "events", "flags", "counters", "fate_sets")
SCENE_FIELDS = ("id", "location", "text", "on_enter", "choices", "ending", "clock", "apart", "quiet")
CHOICE_FIELDS = (
    "id", "label", "goto", "roll", "return", "if", "requires", "effects", "time", "once", "text", "quiet"
)  # fmt: skip
EVENT_FIELDS = ("id", "on", "when", "who", "if", "scene", "return", "once", "priority")
