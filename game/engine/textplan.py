"""Scene text worked out once: the parts of a scene's text that no state can change.

A text block whose template has no lookups, or only lookups that depend on nothing but
the story and the player's name (a cast member's name, the player's name, a named
member's pronouns), reads the same every time it is shown to the same player. A `Plan`
keeps each such template's rendered words per player name, so rendering a scene only
evaluates the blocks' conditions and renders the templates that read the state (items,
counters, the clock, `who`, the history, text variation).

The words are made by the engine's one renderer (`templates.render`) the first time
they are needed and only remembered afterwards, so a plan can never say anything
`rules.render_text` would not. Plans live in the story's `engine_cache`, one per scene.
"""

from __future__ import annotations

from typing import Any

from . import templates
from .model import WHO, Story, Text
from .templates import Say

_NAMES_KEPT = 16  # player names remembered per template (a process rarely sees two)


class Fixed:
    """A template that reads only the story and the player's name, with its words (as
    `render_text` gives them: stripped) for each player name met so far."""

    __slots__ = ("parts", "words")

    def __init__(self, parts: tuple[Any, ...]) -> None:
        self.parts = parts
        self.words: dict[str, str] = {}

    def get(self, story: Story, state: Any) -> str:
        name = state.player_name
        words = self.words.get(name)
        if words is None:
            words = templates.render(story, state, self.parts).strip()
            _remember(self.words, name, words)
        return words


# a template to render from the state each time: its parts
Entry = Fixed | tuple[Any, ...]
Block = tuple[Any, Entry, Entry | None]  # (the condition's evaluator or None, then, else)


def _remember(memo: dict[str, str], name: str, words: str) -> None:
    if len(memo) >= _NAMES_KEPT:
        memo.clear()
    memo[name] = words


class Plan:
    __slots__ = ("whole", "blocks")

    def __init__(self, whole: dict[str, str] | None, blocks: tuple[Block, ...]) -> None:
        self.whole = whole  # the whole text by player name, when no block has a condition
        self.blocks = blocks


def _fixed(part: Any) -> bool:
    """True when the part reads only the story and the player's name."""
    kind = type(part)
    if kind is str:
        return True
    if kind is tuple:
        return bool(part[0] in ("name", "player"))
    if kind is Say:
        return bool(part.kind == "pronoun" and part.member != WHO)
    return False  # text variation, inline conditions


def _entry(parts: tuple[Any, ...]) -> Entry:
    return Fixed(parts) if all(_fixed(p) for p in parts) else parts


def plan(text: Text) -> Plan:
    blocks = tuple(
        (
            None if b.when is None else b.when.evaluate,
            _entry(b.text.parts),
            None if b.otherwise is None else _entry(b.otherwise.parts),
        )
        for b in text.blocks
    )
    whole_fixed = all(when is None and type(then) is Fixed for when, then, _ in blocks)
    return Plan({} if whole_fixed else None, blocks)


def render(story: Story, state: Any, p: Plan) -> str:
    """What `rules.render_text(story, state, text)` gives for the text `p` was made from."""
    whole = p.whole
    if whole is not None:
        words = whole.get(state.player_name)
        if words is not None:
            return words
    paragraphs: list[str] = []
    for when, then, otherwise in p.blocks:
        chosen = then
        if when is not None and not when(state):
            if otherwise is None:
                continue
            chosen = otherwise
        if type(chosen) is Fixed:
            words = chosen.get(story, state)
        else:
            words = templates.render(story, state, chosen).strip()  # type: ignore[arg-type]
        if words:
            paragraphs.append(words)
    out = "\n\n".join(paragraphs)
    if whole is not None:
        _remember(whole, state.player_name, out)
    return out
