"""When-rules checked only while their gate is open (`rules._when_rules`): a flag the
rule requires (`expr.required_flag`), or the infection it needs. A rule whose gate is
shut is false, so skipping it may only disarm it; the states must be the same as when
every rule is checked every step."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from game.engine import rules
from game.engine.expr import Context, compile_condition, required_flag
from game.engine.loader import load_or_raise
from game.engine.model import Story
from tests.conftest import FIXTURES, REPO
from tests.storybuild import load, write_story

REQUIRED = [
    ("flag(a)", "a"),
    ("flag(a) and present(b)", "a"),
    ("clock > 5 and flag(a-b) and flag(c)", "a-b"),
    ("flag(3) and clock < 9", "3"),
    ("not flag(a) and flag(b)", "b"),
    ("not flag(a)", None),
    ("flag(a) or flag(b)", None),
    ("(flag(a)) and clock > 5", None),
    ("(flag(a) or flag(b)) and flag(c)", "c"),
    ("clock > 5", None),
    ("counter(flag) > 1 and flag(x)", "x"),
]


@pytest.mark.parametrize(("source", "expected"), REQUIRED)
def test_required_flag_never_hides_a_true_condition(source: str, expected: str | None) -> None:
    assert required_flag(source) == expected
    evaluate, _ = compile_condition(source, Context())
    names = ("a", "b", "c", "a-b", "3", "x")
    for mask in range(1 << len(names)):
        flags = frozenset(n for i, n in enumerate(names) if mask >> i & 1)
        for clock in (0, 7, 20):
            state = SimpleNamespace(flags=flags, clock=clock, counters={"flag": 2})
            if expected is not None and expected not in flags:
                assert not evaluate(state), (source, flags, clock)


def ungated(story: Story) -> rules._WhenRules:
    """The story's when-rules with no gates: every rule checked every step."""
    every = rules._when_rules(story).all
    return rules._WhenRules(every, every, frozenset(range(len(every))), frozenset(), {}, (), (), {})


def play(story: Story, seeds: int, steps: int) -> list[object]:
    out: list[object] = []
    for seed in range(seeds):
        rng = random.Random(seed)
        state = rules.new_game(story, seed=seed)
        for _ in range(steps):
            views = [v for v in rules.choices(story, state) if v.available]
            if not views:
                break
            state, events = rules.choose(story, state, rng.choice(views).id)
            out.append((state.to_dict(), [e.to_dict() for e in events]))
    return out


@pytest.mark.parametrize("root", [REPO / "story", FIXTURES / "v2", FIXTURES / "faults"], ids=lambda p: p.name)
def test_gated_when_rules_give_the_states_of_checking_every_rule(root: Path) -> None:
    story = load_or_raise(root)
    index = rules._when_rules(story)
    if root.name == "story":  # the bundled story has rules behind each kind of gate
        assert index.flag_keys and index.hambie and index.at
    gated = play(story, 40, 120)
    story.engine_cache["when-rules"] = ungated(story)
    try:
        assert play(story, 40, 120) == gated
    finally:
        story.engine_cache["when-rules"] = index


def test_a_shut_gate_disarms_its_rule(tmp_path: Path) -> None:
    scenes = """\
- id: s
  location: room
  text: Here.
  choices:
    - {id: set, label: Set, effects: [{set: door}], goto: s}
    - {id: clear, label: Clear, effects: [{clear: door}], goto: s}
- id: ev
  location: room
  text: It rose.
  choices:
    - {id: back, label: Back, goto: s}
"""
    events = "- {id: rose, when: flag(door) and clock > 0, once: false, scene: ev}\n"
    story = load(write_story(tmp_path, scenes, events=events)).story
    assert rules._when_rules(story).by_flag == {"door": (0,)}
    state = rules.new_game(story, seed=1)
    state, _ = rules.choose(story, state, "set")
    assert state.scene == "ev" and state.armed == frozenset({"rose"})
    state, _ = rules.choose(story, state, "back")
    state, _ = rules.choose(story, state, "clear")
    assert state.armed == frozenset()  # the gate shut: disarmed without being checked
    state, _ = rules.choose(story, state, "set")
    assert state.scene == "ev"  # and it rises again
