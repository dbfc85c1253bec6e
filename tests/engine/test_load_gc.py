"""`load_story` and the cyclic garbage collector: a loaded story holds no reference
cycle (so reference counting alone frees it), and what the load made is frozen
(`gc.freeze()`) so later collections never walk it, yet dropping the result frees it."""

from __future__ import annotations

import gc
import itertools
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from game.engine.loader import load_story
from game.engine.model import Story, location_in
from tests.conftest import FIXTURES, REPO

# the bundled story and the v2 fixture use at(...) and been(...), whose evaluators ask
# where a scene is; faults and flawed have errors
STORIES = [REPO / "story", FIXTURES / "v2", FIXTURES / "mini", FIXTURES / "faults", FIXTURES / "flawed"]


@contextmanager
def collector_paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@pytest.mark.parametrize("root", STORIES, ids=lambda p: p.name)
def test_a_dropped_story_leaves_no_cycle(root: Path) -> None:
    gc.collect()
    with collector_paused():
        result = load_story(root)
        assert result.story is not None
        story = weakref.ref(result.story)
        del result
        assert story() is None  # freed by reference counting alone
        assert gc.collect() == 0  # and nothing it made is left in a cycle


def test_the_loaded_story_is_frozen_and_freed_when_dropped() -> None:
    load_story(FIXTURES / "v2")  # the loader's module-level caches, filled once
    gc.collect()
    gc.freeze()  # everything that is here already
    before = gc.get_freeze_count()
    result = load_story(FIXTURES / "v2")
    assert gc.isenabled()
    held = gc.get_freeze_count() - before
    assert held > 300  # the story's scenes, choices, conditions, positions ...
    generations = {id(o) for o in gc.get_objects()}
    assert id(result.story) not in generations and gc.is_tracked(result.story)
    del result, generations
    left = gc.get_freeze_count() - before
    assert left < held // 10, (held, left)  # all but a few freed at once
    gc.unfreeze()


def test_a_caller_that_paused_the_collector_gets_nothing_frozen() -> None:
    gc.collect()
    with collector_paused():
        before = gc.get_freeze_count()
        result = load_story(FIXTURES / "v2")
        assert not gc.isenabled()
        assert gc.get_freeze_count() == before
        assert id(result.story) in {id(o) for o in gc.get_objects()}


def test_location_in_is_the_storys_location_of(bundled: Story) -> None:
    where = {sid: scene.location for sid, scene in bundled.scenes.items()}
    ids = [*sorted(bundled.scenes), "no-such-scene"]
    events = sorted(bundled.event_scenes)[:8]
    for sid in ids:
        for returns in itertools.chain([()], ((r,) for r in ids[::40]), [tuple(events), (ids[0], *events)]):
            assert location_in(where, sid, returns) == bundled.location_of(sid, returns)
