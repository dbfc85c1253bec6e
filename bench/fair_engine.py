"""The fair baseline for engine speed: a mutable engine over the same compiled story.

It does the content work the real engine does on every step: render the scene's text
blocks (conditions, `else:` text, templates), list the choices (shown-if conditions,
`requires:` with their reasons, labels rendered), weigh a roll's outcomes with their
modifiers, apply effects, move the clock and count visits. What it leaves out is what
the engine adds on top of the content: no immutable state (one object edited in place),
no events (no `when:` rules, no `on:` rules, no pending queue), no infection (a bite
only marks the member; no incubation, turning, hunger or hambie senses), no log and no
history. The engine's ratio to this is the cost of those guarantees.

    python -m bench.bench_engine --story story    # engine vs this vs the minimal engine
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from game.engine import effects as fx
from game.engine.model import PLAYER, WHO, Choice, Story, Text
from game.engine.state import MemberState
from game.engine.templates import render as render_parts
from game.engine.timeofday import minutes_until


class FairState:
    """The attributes compiled conditions and templates read, all mutable."""

    __slots__ = (
        "scene", "seed", "rng", "player_name", "clock", "members", "inventory", "flags",
        "counters", "noise", "visits", "turn", "taken", "fired", "armed", "pending",
        "returns", "subject", "log", "history", "dirty",
    )  # fmt: skip

    def __init__(self, story: Story, seed: int) -> None:
        self.scene = story.start
        self.seed = seed
        self.rng = 0
        self.player_name = story.player_name
        self.clock = story.clock_start
        self.members: dict[str, MemberState] = {PLAYER: MemberState(where="party", met=True)}
        for mid, member in story.cast.items():
            where = "party" if member.starts_with else "away"
            self.members[mid] = MemberState(where=where, met=member.starts_with)
        self.inventory: dict[str, int] = dict(story.inventory)
        self.flags: set[str] = set()
        self.counters: dict[str, int] = dict(story.counters)
        self.noise = 0
        self.visits: dict[str, int] = {}
        self.turn = 0
        self.taken: set[str] = set()
        self.fired: frozenset[str] = frozenset()
        self.armed: frozenset[str] = frozenset()
        self.pending: tuple[tuple[str, str], ...] = ()
        self.returns: list[str] = []
        self.subject: str | None = None
        self.log: tuple[Any, ...] = ()
        self.history: tuple[Any, ...] = ()
        self.dirty = ("members",)  # edited in place: the engine's per-state memos must not apply


def text(story: Story, s: FairState, t: Text) -> str:
    out: list[str] = []
    for block in t.blocks:
        chosen = block.text
        if block.when is not None and not block.when.evaluate(s):
            if block.otherwise is None:
                continue
            chosen = block.otherwise
        rendered = render_parts(story, s, chosen.parts).strip()
        if rendered:
            out.append(rendered)
    return "\n\n".join(out)


def choices(story: Story, s: FairState) -> list[tuple[Choice, str, str | None]]:
    """(choice, label, reason it is locked or None) for every shown choice."""
    scene = story.scenes[s.scene]
    if scene.ending is not None:
        return []
    out: list[tuple[Choice, str, str | None]] = []
    for c in scene.choices:
        if c.once and f"{scene.id}/{c.id}" in s.taken:
            continue
        if c.shown_if is not None and not c.shown_if.evaluate(s):
            continue
        reason = None
        for req in c.requires:
            if not req.when.evaluate(s):
                reason = req.reason
                break
        out.append((c, render_parts(story, s, c.label.parts), reason))
    return out


def enter(story: Story, s: FairState, scene_id: str) -> None:
    s.scene = scene_id
    s.visits[scene_id] = s.visits.get(scene_id, 0) + 1
    scene = story.scenes.get(scene_id)
    if scene is not None:
        apply(story, s, scene.on_enter)


def choose(story: Story, s: FairState, c: Choice, rng: random.Random) -> None:
    scene_id = s.scene
    s.turn += 1
    if c.once:
        s.taken.add(f"{scene_id}/{c.id}")
    if c.text is not None:
        render_parts(story, s, c.text.parts)
    apply(story, s, c.effects)
    target = c.goto
    if c.roll:
        weights = [max(0.0, o.chance + sum(m.add for m in o.modifiers if m.when.evaluate(s))) for o in c.roll]
        picked = c.roll[rng.choices(range(len(c.roll)), weights=weights)[0] if sum(weights) > 0 else 0]
        if picked.text is not None:
            render_parts(story, s, picked.text.parts)
        apply(story, s, picked.effects)
        target = picked.goto
    s.clock += story.clock_step if c.time is None else c.time
    enter(story, s, target or scene_id)


def _member(s: FairState, who: str, **changes: Any) -> None:
    mid = (s.subject or "") if who == WHO else who
    m = s.members.get(mid)
    if m is not None:
        s.members[mid] = replace(m, **changes)


def apply(story: Story, s: FairState, effects: tuple[Any, ...]) -> None:
    for e in effects:
        t = type(e)
        if t is fx.Conditional:
            ok = e.when is not None and e.when.evaluate(s)
            apply(story, s, e.then if ok else e.otherwise)
        elif t is fx.Give or t is fx.Take:
            sign = 1 if t is fx.Give else -1
            for item_id, n in e.items:
                item = story.items.get(item_id)
                after = max(0, s.inventory.get(item_id, 0) + sign * n)
                if item is not None and item.max is not None:
                    after = min(item.max, after)
                s.inventory[item_id] = after
        elif t is fx.SetFlag:
            s.flags.update(e.flags)
        elif t is fx.ClearFlag:
            s.flags.difference_update(e.flags)
        elif t is fx.AddCounter:
            for name, n in e.counters:
                s.counters[name] = s.counters.get(name, 0) + n
        elif t is fx.SetCounter:
            for name, n in e.counters:
                s.counters[name] = n
        elif t is fx.Noise:
            s.noise = min(story.noise_max, max(0, s.noise + e.amount))
        elif t is fx.Advance:
            s.clock += minutes_until(s.clock, e.days, e.at, e.minutes)
        elif t is fx.Join:
            _member(s, e.who, where="party", met=True)
        elif t is fx.Leave:
            _member(s, e.who, where="away")
        elif t is fx.Separate:
            _member(s, e.who, where="missing")
        elif t is fx.Injure:
            _member(s, e.who, injured=True)
        elif t is fx.Heal:
            _member(s, e.who, injured=False)
        elif t is fx.Kill:
            _member(s, e.who, fate="dead")
        elif t is fx.Bite:
            _member(s, e.who, bitten=True)
        # Turn, Feed, Reveal: infection, which this baseline leaves out


def play(story: Story, steps: int, seed: int) -> int:
    """The same loop as bench_engine.play: text, choices, a random available one."""
    rng = random.Random(seed)
    s = FairState(story, seed)
    enter(story, s, story.start)
    chars = 0
    for _ in range(steps):
        chars += len(text(story, s, story.scenes[s.scene].text))
        available = [c for c, _label, reason in choices(story, s) if reason is None]
        if not available:
            s = FairState(story, rng.randrange(1 << 30))
            enter(story, s, story.start)
            continue
        choose(story, s, rng.choice(available), rng)
    return chars
