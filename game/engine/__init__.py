"""Hyosan's engine: story model, loader, checker and rules. Pure Python; never imports
Textual or Rich (tests/test_import_hygiene.py enforces it)."""

from .loader import LoadResult, StoryError, load_or_raise, load_story
from .model import PLAYER, Story
from .rules import (
    ChoiceError,
    ChoiceView,
    Fate,
    choices,
    choose,
    current_scene,
    ending,
    fates,
    is_ended,
    new_game,
    scene_text,
    survivors,
)
from .state import Event, GameState, MemberState

__all__ = [
    "PLAYER",
    "ChoiceError",
    "ChoiceView",
    "Event",
    "Fate",
    "GameState",
    "LoadResult",
    "MemberState",
    "Story",
    "StoryError",
    "choices",
    "choose",
    "current_scene",
    "ending",
    "fates",
    "is_ended",
    "load_or_raise",
    "load_story",
    "new_game",
    "scene_text",
    "survivors",
]
