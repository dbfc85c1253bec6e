"""The loader's public index of references (`LoadResult.references`)."""

from __future__ import annotations

from game.engine.check import check_story
from game.engine.loader import load_story
from game.engine.model import Pos
from tests.conftest import FIXTURES


def test_definitions_and_uses_carry_positions() -> None:
    result = load_story(FIXTURES / "mini", display_root="mini")
    refs = result.references
    assert result.ok
    scenes = "mini/scenes/main.yaml"
    assert refs.definitions["scene"]["start"] == Pos(scenes, 2, 5)
    assert refs.definitions["flag"]["door-shut"] == Pos("mini/story.yaml", 22, 3)
    assert refs.definitions["member"]["ana"].line == 10
    assert set(refs.defined("item")) == {"arrows", "medkit"}
    assert set(refs.defined("location")) == {"room", "hall", "street"}
    assert "you-turn" in refs.defined("event")
    # a condition's flag, with its column inside the condition; a set: effect
    assert Pos(scenes, 6, 18) in refs.uses_of("flag", "door-shut")
    assert refs.flags_set["door-shut"] == Pos(scenes, 13, 25)
    assert ("scene", "start", Pos("mini/story.yaml", 3, 8)) in refs.uses
    assert refs.bites_player and refs.manifest == Pos("mini/story.yaml", 1, 1)


def test_check_story_is_a_function_of_story_and_references() -> None:
    result = load_story(FIXTURES / "mini")
    assert result.story is not None
    assert check_story(result.story, result.references) == []
    result.references.flags_set.clear()
    warnings = check_story(result.story, result.references)
    assert [d.message for d in warnings] == ["flag 'door-shut' is read but never set"]
