"""`game.tui.text.wrap` gives Content.wrap's lines (text and styles) exactly: the scene's
and the choices' text are wrapped by it (issue 15: it is about twice as fast)."""

from __future__ import annotations

import random

import pytest
from rich.text import Text
from textual.content import Content

from game.engine import rules
from game.engine.loader import load_or_raise
from game.engine.model import Story
from game.tui.text import wrap
from game.tui.widgets.scene import scene_body

ODD = [
    Text("a\tb  c   " + "x" * 90 + "  yy\n\n  lead  trail  \n"),
    Text("한국어 텍스트 " * 12 + "wide and narrow"),
    Text("wordwordwordwordword " * 6 + "— ’ é", "bold"),
    Text("\n\n"),
    Text(""),
    Text("   "),
    Text("end with a newline\n"),
]


def scene_texts(story: Story, runs: int, steps: int) -> list[Text]:
    pick = random.Random(3)
    out = []
    for seed in range(runs):
        state = rules.new_game(story, seed=seed)
        for _ in range(steps):
            open_ = [c for c in rules.choices(story, state) if c.available]
            if not open_:
                break
            choice = pick.choice(open_)
            state, events = rules.choose(story, state, choice.id)
            out.append(scene_body(story, state, choice.label, events))
    return out


def lines(contents: list[Content]) -> list[tuple[str, list[object]]]:
    return [(c.plain, list(c.spans)) for c in contents]


@pytest.mark.parametrize("width", [1, 2, 7, 33, 52, 64, 120])
def test_wrap_gives_contents_own_lines(ward: Story, width: int) -> None:
    texts = scene_texts(ward, 6, 8) + ODD
    texts.append(Text.assemble(("styled ", "bold"), ("across a break " * 5, "italic"), "plain tail " * 4))
    for text in texts:
        content = Content.from_rich_text(text)
        assert lines(wrap(content, width)) == lines(content.wrap(width, overflow="fold")), text.plain


def test_wrap_on_the_bundled_story() -> None:
    from pathlib import Path

    story = load_or_raise(Path(__file__).resolve().parents[2] / "story")
    for text in scene_texts(story, 4, 25):
        content = Content.from_rich_text(text)
        for width in (40, 63):
            assert lines(wrap(content, width)) == lines(content.wrap(width, overflow="fold"))

