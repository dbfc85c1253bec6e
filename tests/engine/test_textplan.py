"""Scene text through a scene's plan (`textplan`) reads exactly as `render_text` does:
on the first showing and after, for different players, with conditions, lookups that
read the state, names, pronouns and text variation."""

from __future__ import annotations

from pathlib import Path

from game.engine import textplan
from game.engine.rules import choose, new_game, render_text, scene_text
from tests.storybuild import load, write_story

SCENES = """\
- id: s
  location: room
  text:
    - Plain words, all fixed.
    - "{player} and {ana} wait; {they:ana} {are:ana} tired."
    - "{item:arrows} arrows at {time}, {who} nearby."
    - {if: flag(door), text: "{ana} shut the door.", else: The door is open.}
    - "{seq First visit. | Again. | Once more.}"
  choices:
    - {id: shut, label: Shut, effects: [{set: door}, {give: {arrows: 1}}], goto: s}
    - {id: on, label: On, goto: t}
- id: t
  location: room
  text:
    - Nothing here changes, {player}.
    - "{Their:bo} coat is wet."
  choices:
    - {id: back, label: Back, goto: s}
"""


def test_plan_text_matches_render_text_on_every_showing(tmp_path: Path) -> None:
    story = load(write_story(tmp_path, SCENES)).story
    for name in ("Min-ji", None, "Min-ji", "Dae-ho"):
        state = new_game(story, seed=4, player_name=name)
        for choice in ("shut", "on", "back", "on", "back", "shut", "shut", "on", "back"):
            expected = render_text(story, state, story.scenes[state.scene].text)
            assert scene_text(story, state) == expected
            assert scene_text(story, state) == expected  # and again, from the plan
            state, _ = choose(story, state, choice)
    assert "Min-ji" in scene_text(story, state) or "Dae-ho" in scene_text(story, state)


def test_plan_keeps_only_what_the_player_name_decides(tmp_path: Path) -> None:
    story = load(write_story(tmp_path, SCENES)).story
    blocks = textplan.plan(story.scenes["s"].text).blocks
    kinds = [type(then).__name__ for _, then, _ in blocks]
    # fixed words; names and a named member's pronouns; items, time and `who` read the
    # state; a condition's two texts; text variation reads the visits
    assert kinds == ["Fixed", "Fixed", "tuple", "Fixed", "tuple"]
    assert blocks[3][0] is not None and type(blocks[3][2]) is textplan.Fixed
    whole = textplan.plan(story.scenes["t"].text)
    assert whole.whole is not None  # no conditions, nothing read from the state
    assert textplan.plan(story.scenes["s"].text).whole is None
