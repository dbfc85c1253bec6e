"""What the rules produce (`Hit`) and what one run remembers between states (`RunMemory`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .sources import Key

RULES = ("people", "pronoun", "repeat", "time", "place", "fact")


@dataclass(frozen=True, slots=True)
class Hit:
    rule: str
    kind: str  # a finer word for counting: dead, zombie, away, they, hub, ...
    key: Key  # the text's source (sources.Key)
    detail: str  # what makes two hits at one key different findings
    message: str
    extra: str = ""  # aggregated across runs (e.g. the places an event scene was shown at)
    n: int = 0  # aggregated as a maximum (e.g. how often a paragraph was shown)


@dataclass
class RunMemory:
    paragraphs: dict[str, tuple[int, str]] = field(default_factory=dict)  # text -> (count, scene)
    outcomes: dict[str, int] = field(default_factory=dict)  # a choice's outcome text -> times shown
    scene_text: dict[str, str] = field(default_factory=dict)
    # scene -> {paragraph: the visit it was first shown on}, for every visit, not only the last
    shown: dict[str, dict[str, int]] = field(default_factory=dict)
    # scene -> its long paragraphs (normalized), the visit each was first shown on, and
    # their word sets once a return has needed them
    shown_words: dict[str, list[list[Any]]] = field(default_factory=dict)
    flag_origin: dict[str, frozenset[str]] = field(default_factory=dict)
    since: dict[str, tuple[str, str]] = field(default_factory=dict)  # member -> (status, scene)
    chosen: set[tuple[str, str]] = field(default_factory=set)  # (scene, choice) taken so far
    location: str = ""
