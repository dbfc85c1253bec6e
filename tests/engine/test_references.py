"""The loader's public index of references (`LoadResult.references`)."""

from __future__ import annotations

from pathlib import Path

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


def test_the_digest_follows_every_file_name_and_byte(tmp_path: Path) -> None:
    import shutil

    from tests.storybuild import load

    story = tmp_path / "a"
    shutil.copytree(FIXTURES / "mini", story)
    first = load(story).story
    assert first is not None and len(first.digest) == 16
    shutil.copytree(FIXTURES / "mini", tmp_path / "b")
    same = load(tmp_path / "b").story
    assert same is not None and same.digest == first.digest  # not the folder's own path
    scene_file = story / "scenes" / "main.yaml"
    scene_file.write_text(scene_file.read_text().replace("A hall.", "A long hall."))
    edited = load(story).story
    assert edited is not None and edited.digest != first.digest
    scene_file.rename(story / "scenes" / "other.yaml")
    moved = load(story).story
    assert moved is not None and moved.digest not in (first.digest, edited.digest)
