"""How big a story is, counted the way a reader would: scenes, choices, endings, and
words, with every sentence counted once however many scenes or endings repeat it.

Words are counted in the text a writer typed: scene paragraphs and their `else`, choice
labels and choice and outcome texts, requirement reasons, ending titles and fate lines.
Template markup is not prose: `{if COND then` and the keywords of `{seq ...}`,
`{cycle ...}`, `{once ...}` and `{shuffle ...}` are dropped, and a template such as
`{they:who}` or `{on-jo}` counts as the one word it prints (a verb ending such as
`walk{s:who}` adds none). A sentence ends at `.`, `!`,
`?` or `…` (with any closing quote or bracket) followed by a space; two sentences are the
same when their words are, ignoring case and spacing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..engine.model import Story, Template, Text

_CONDITIONAL = re.compile(r"\{\s*if\b[^{}]*?\bthen\b")
_VARIATION = re.compile(r"\{\s*(?:seq|cycle|once|shuffle)\b")
_NAMED = re.compile(r"\{([A-Za-z'’-]+):[^{}]*\}")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*\s+")
_SUFFIXES = frozenset(("s", "es"))  # verb agreement: walk{s:who}
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


@dataclass(frozen=True)
class StoryStats:
    scenes: int
    choices: int
    endings: int
    words: int  # every sentence as often as the story holds it
    unique_words: int  # every distinct sentence once
    sentences: int
    unique_sentences: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenes": self.scenes,
            "choices": self.choices,
            "endings": self.endings,
            "words": self.words,
            "unique_words": self.unique_words,
            "sentences": self.sentences,
            "unique_sentences": self.unique_sentences,
        }


def prose(source: str) -> str:
    """The words of a template source, without its markup."""
    text = _CONDITIONAL.sub(" ", source)
    text = _VARIATION.sub(" ", text)
    text = _NAMED.sub(lambda m: "" if m[1] in _SUFFIXES else m[1], text)
    return text.replace("{", " ").replace("}", " ").replace("|", " ")


def sentences(source: str) -> Iterator[tuple[str, ...]]:
    """Each sentence of a template source as its lower-cased words."""
    for part in _SENTENCE_END.split(prose(source)):
        words = tuple(w.lower() for w in _WORD.findall(part))
        if words:
            yield words


def _text_sources(text: Text) -> Iterator[str]:
    for block in text.blocks:
        yield block.text.source
        if block.otherwise is not None:
            yield block.otherwise.source


def sources(story: Story) -> Iterator[str]:
    """Every piece of text a writer typed, in story order (a fate set's line once, not
    once per ending that uses the set: the merged endings share its block)."""
    fate_blocks: set[int] = set()
    for scene in story.scenes.values():
        yield from _text_sources(scene.text)
        for choice in scene.choices:
            yield choice.label.source
            if choice.text is not None:
                yield choice.text.source
            for req in choice.requires:
                yield req.reason
            for outcome in choice.roll:
                if outcome.text is not None:
                    yield outcome.text.source
        if scene.ending is not None:
            yield scene.ending.title
            for fate in scene.ending.fates.values():
                fresh = [b for b in fate.blocks if id(b) not in fate_blocks]
                fate_blocks.update(id(b) for b in fresh)
                yield from _text_sources(Text(tuple(fresh)))
    template: Template
    for template in story.fates.values():
        yield template.source


def story_stats(story: Story) -> StoryStats:
    seen: set[tuple[str, ...]] = set()
    words = unique = count = 0
    for source in sources(story):
        for sentence in sentences(source):
            count += 1
            words += len(sentence)
            if sentence not in seen:
                seen.add(sentence)
                unique += len(sentence)
    scenes = story.scenes.values()
    return StoryStats(
        scenes=len(story.scenes),
        choices=sum(len(s.choices) for s in scenes),
        endings=sum(1 for s in scenes if s.ending is not None),
        words=words,
        unique_words=unique,
        sentences=count,
        unique_sentences=len(seen),
    )
