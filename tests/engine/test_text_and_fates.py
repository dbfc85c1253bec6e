"""What the player reads: paragraphs and substitutions, item news, revealed bites, the
fate lines of an ending, and roll weights as the rules compute them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from game.engine.model import Story
from game.engine.rules import choose, fates, new_game, outcome_weights, scene_text
from game.engine.state import GameState
from tests.storybuild import load, write_story

SCENES = """\
- id: s
  location: room
  text:
    - "{player} and {ana} at {time} on day {day}: {item:arrows} arrows, trust {counter:trust}."
    - {if: flag(door), text: The door is shut., else: The door is open.}
    - {if: flag(door), text: Only when shut.}
    - Always last.
  choices:
    - {id: shut, label: Shut, effects: [{set: door}], goto: s}
    - {id: stock, label: Stock up, effects: [{give: {arrows: 10, food: 2}}, {take: {food: 1}}, {take: {food: 5}}], goto: s}
    - {id: hide-bo, label: Bo hides a bite, effects: [{bite: {who: bo, concealed: true}}], goto: s}
    - {id: bite-ana, label: Ana is bitten, effects: [{bite: ana}], goto: s}
    - {id: check, label: Check, effects: [{reveal: all}], goto: s}
    - {id: hide-me, label: Hide my bite, effects: [{bite: {who: player, concealed: true}}], goto: s}
    - {id: show-me, label: Show my bite, effects: [{reveal: player}], goto: s}
    - {id: kill-bo, label: Bo dies, effects: [{kill: bo}], goto: s}
    - id: gamble
      label: Gamble
      roll:
        - {chance: 1, goto: s}
        - {chance: 3, modifiers: [{if: flag(door), add: -10}], goto: s}
    - {id: leave, label: Leave, goto: fin}
- id: fin
  location: room
  text: Over.
  ending:
    title: Over
    kind: end
    fates:
      ana: "{who} walked out with {player}."
"""


def make(tmp_path: Path) -> Story:
    write_story(tmp_path, SCENES, end_scene=True)
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    assert result.story is not None
    return result.story


def steps(story: Story, *ids: str, state: GameState | None = None) -> tuple[GameState, list[list[str]]]:
    state = state or new_game(story, seed=1, player_name="Min")
    texts: list[list[str]] = []
    for cid in ids:
        state, events = choose(story, state, cid)
        texts.append([e.text for e in events if e.visible])
    return state, texts


def test_paragraphs_and_substitutions(tmp_path: Path) -> None:
    story = make(tmp_path)
    state = new_game(story, seed=1, player_name="Min")
    assert scene_text(story, state) == (
        "Min and Ana at 08:00 on day 1: 2 arrows, trust 3.\n\nThe door is open.\n\nAlways last."
    )
    state, _ = steps(story, "shut", state=state)
    assert scene_text(story, state).split("\n\n")[1:] == ["The door is shut.", "Only when shut.", "Always last."]
    assert scene_text(story, replace(state, clock=1440 + 9 * 60 + 7)).startswith("Min and Ana at 09:07 on day 2")


def test_item_news_says_what_really_changed(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, texts = steps(story, "stock")
    assert state.inventory == {"arrows": 5}
    # capped at 5; food +2 -1 -1 within one step is no change, so no line
    assert texts == [["+3 Arrows"]]
    _, texts = steps(story, "stock", state=state)
    assert texts == [[]]  # arrows already at their cap and food back where it was: no news


def test_reveal_finds_only_hidden_bites_and_says_whose(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, _ = steps(story, "bite-ana", "hide-bo")
    state, events = choose(story, state, "check")
    found = [(e.who, e.text) for e in events if e.kind == "bite-discovered"]
    assert found == [("bo", "Bo's hidden bite is found.")]  # Ana's open bite is no news
    state, _ = steps(story, "hide-me")
    state, events = choose(story, state, "show-me")
    found = [(e.who, e.text) for e in events if e.kind == "bite-discovered"]
    assert found == [("player", "Your bite is no longer a secret.")]
    assert not state.members["player"].concealed


def test_fate_lines_player_first_met_only_with_ending_and_default_lines(tmp_path: Path) -> None:
    story = make(tmp_path)
    state, _ = steps(story, "kill-bo", "leave")
    lines = [(f.member, f.name, f.status, f.line) for f in fates(story, state)]
    assert lines == [
        ("player", "Min", "healthy", "Min survived."),
        ("ana", "Ana", "healthy", "Ana walked out with Min."),
        ("bo", "Bo", "dead", "Bo died."),
    ]  # cy was never met


def test_roll_weights_apply_modifiers_and_never_go_below_zero(tmp_path: Path) -> None:
    story = make(tmp_path)
    gamble = story.scenes["s"].choice("gamble")
    assert gamble is not None
    state = new_game(story, seed=1)
    assert outcome_weights(state, gamble) == [1.0, 3.0]
    shut, _ = steps(story, "shut", state=state)
    assert outcome_weights(shut, gamble) == [1.0, 0.0]
    picks = {choose(story, replace(shut, rng=r), "gamble")[0].rng for r in range(5)}
    assert len(picks) == 5  # a roll draws from the RNG even when one outcome is certain


def test_bad_effect_arguments_are_reported_where_they_stand(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Start.
          choices:
            - {id: a, label: A, goto: end, effects: [{advance: -5}, {noise: loud}, {advance: 0}, {give: [arrows]}]}
        """,
    )
    found = [f"{d.line}:{d.col}: {d.message}" for d in load(tmp_path).errors]
    assert found == [
        "6:56: advance: the clock never goes back",
        "6:69: noise: expects a whole number, got text",
        "6:97: give: expects a mapping like {name: 1}, got a list",
    ]


def test_a_roll_whose_weights_all_fall_to_zero_takes_the_first_outcome(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Start.
          choices:
            - id: gamble
              label: Gamble
              roll:
                - {chance: 0, goto: s, text: First.}
                - {chance: 0, goto: s, text: Second.}
            - {id: leave, label: Leave, goto: end}
        """,
    )
    result = load(tmp_path)
    assert result.ok and result.story is not None
    for seed in range(5):
        _, events = choose(result.story, new_game(result.story, seed=seed), "gamble")
        assert [e.text for e in events if e.kind == "outcome"] == ["First."]


def test_feeding_touches_only_hambies_and_modifiers_add_to_the_odds(tmp_path: Path) -> None:
    write_story(
        tmp_path,
        """\
        - id: s
          location: room
          text: Start.
          choices:
            - {id: feed-ana, label: Feed Ana, effects: [{feed: ana}], goto: s}
            - {id: turn-bo, label: Bo turns, effects: [{bite: bo}, {turn: bo}], goto: s}
            - {id: leave, label: Leave, goto: end}
        """,
        hambie=0.6,
        extra="",
    )
    manifest = tmp_path / "story.yaml"
    manifest.write_text(
        manifest.read_text().replace("  hambie_chance: 0.6\n", "  hambie_chance: 0.6\n  hambie_modifiers: [{if: 'true', add: 0.6}]\n")
    )
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    story = result.story
    assert story is not None
    state, _ = choose(story, new_game(story, seed=1), "feed-ana")
    assert state.members["ana"].hunger == 0.0 and state.members["ana"].fate == "human"
    # 0.6 + 0.6 is certain; a modifier that replaced the odds (0.6) would not be
    fates_seen = {choose(story, new_game(story, seed=seed), "turn-bo")[0].members["bo"].fate for seed in range(30)}
    assert fates_seen == {"hambie"}


WORDS = """\
- id: s
  location: room
  text: "{counter:trust:Words} of you trust it; {item:arrows:words} arrows, {counter:trust} in digits."
  choices:
    - {id: more, label: More, effects: [{counter: {trust: 21}}, {give: {arrows: 0}}], goto: s}
    - {id: none, label: None, effects: [{counter: {trust: 0}}], goto: s}
"""


def test_counts_in_words_read_as_prose(tmp_path: Path) -> None:
    """A reader read "takes 2 of you ... There are 8 of you" in the hills as template
    digits: `{counter:x:words}` says eight, `:Words` starts a sentence with it."""
    from game.engine.templates import number_words

    write_story(tmp_path, WORDS, end_scene=True)
    result = load(tmp_path)
    assert result.ok, [str(d) for d in result.diagnostics]
    story = result.story
    assert story is not None
    state = new_game(story, seed=1)
    assert scene_text(story, state) == "Three of you trust it; two arrows, 3 in digits."
    state, _ = choose(story, state, "more")
    assert scene_text(story, state).startswith("Twenty-one of you trust it")
    assert [number_words(n) for n in (0, 8, 13, 20, 40, 99, 100)] == [
        "zero", "eight", "thirteen", "twenty", "forty", "ninety-nine", "100"
    ]


def test_an_unknown_count_style_is_an_error_at_its_column(tmp_path: Path) -> None:
    write_story(tmp_path, WORDS.replace("{item:arrows:words}", "{item:arrows:wrods}"), end_scene=True)
    result = load(tmp_path)
    messages = [str(d) for d in result.diagnostics]
    assert any("unknown style 'wrods'" in m and "did you mean 'words'" in m for m in messages), messages
