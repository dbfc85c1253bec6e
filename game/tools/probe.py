"""Conditions that report what they evaluated to: `instrument(story)` returns a copy of
the story whose every `Condition` records, in a `Probe`, whether it was evaluated, ever
true, ever false, and in which state (the one `explore` was expanding) it first was."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..engine.model import Condition, Item, Location, Member, Pos, Story, Template


@dataclass
class Probe:
    conditions: list[Condition] = field(default_factory=list)  # the originals, by slot
    evaluated: list[bool] = field(default_factory=list)
    true: list[bool] = field(default_factory=list)
    false: list[bool] = field(default_factory=list)
    where: list[int] = field(default_factory=list)  # the state first evaluated in, or -1
    current: list[int] = field(default_factory=lambda: [-1])  # the state being expanded

    def wrap(self, condition: Condition) -> Condition:
        slot = len(self.conditions)
        self.conditions.append(condition)
        self.evaluated.append(False)
        self.true.append(False)
        self.false.append(False)
        self.where.append(-1)
        evaluate = condition.evaluate
        true, false, evaluated, where, current = (
            self.true,
            self.false,
            self.evaluated,
            self.where,
            self.current,
        )

        def probe(state: Any) -> Any:
            value = evaluate(state)
            if not evaluated[slot]:
                where[slot] = current[0]
            evaluated[slot] = True
            if value:
                true[slot] = True
            else:
                false[slot] = True
            return value

        return Condition(condition.source, probe, condition.pos)


_LEAVES: tuple[type, ...] = (
    str,
    int,
    float,
    bool,
    type(None),
    frozenset,
    Pos,
    Template,
    Member,
    Item,
    Location,
)


def instrument(story: Story) -> tuple[Story, Probe]:
    """A copy of the story whose conditions record their values in the returned Probe."""
    probe = Probe()
    leaves = set(_LEAVES)
    names: dict[type, tuple[str, ...]] = {}

    def walk(value: Any) -> Any:
        kind = type(value)
        if kind in leaves:
            return value
        if kind is Condition:
            return probe.wrap(value)
        if kind is tuple:
            items = tuple(walk(v) for v in value)
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        if kind is dict:
            return {k: walk(v) for k, v in value.items()}
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            leaves.add(kind)
            return value
        fields = names.get(kind)
        if fields is None:
            fields = names[kind] = tuple(f.name for f in dataclasses.fields(value))
        changes = {}
        for name in fields:
            old = getattr(value, name)
            new = walk(old)
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value

    copy = dataclasses.replace(
        story,
        scenes=walk(dict(story.scenes)),
        events=walk(story.events),
        infection=walk(story.infection),
    )
    return copy, probe
