"""The `fact` rule: a paragraph shown because of a flag several scenes set, naming the
scene that did not set it in this run (docs/continuity.md says what it finds and misses).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ...engine.model import Story
from .base import Hit, RunMemory
from .sources import Key, Sources, guarding_flag


class Facts:
    def __init__(self, story: Story, sources: Sources) -> None:
        self.story = story
        self.src = sources
        self.keywords: dict[str, dict[str, frozenset[str]]] = {}
        self.common: frozenset[str] | None = None

    def check(self, mem: RunMemory, condition: str, text: str, key: Key) -> Iterator[Hit]:
        flag = guarding_flag(condition)
        if flag is None:
            return
        words = self._keywords(flag)
        if len(words) < 2:
            return
        origin = mem.flag_origin.get(flag)
        if origin is None:
            return
        lower = text.lower()
        for scene_id, kws in words.items():
            if scene_id in origin:
                continue
            named = next((w for w in sorted(kws) if _names(w, lower)), None)
            if named is None:
                continue
            actual = next((s for s in words if s in origin), "?")
            if actual != "?" and any(_names(w, lower) for w in words[actual]):
                continue  # the text names where it was set too
            setters = ", ".join(sorted(words))
            yield Hit(
                "fact",
                "flag",
                key,
                flag,
                f"shown because flag {flag!r} is set, and says '{named}' (set in {scene_id!r}), "
                f"but here {actual!r} set it; {flag!r} is set in: {setters}: split the flag",
            )
            return

    def _keywords(self, flag: str) -> dict[str, frozenset[str]]:
        """Per scene that sets the flag, the words that name only that setter: from its
        place's name, its scene id and the setting choice's id (at least 5 letters, not
        common in the story's prose); {} when one scene sets the flag. Words from the
        setters' prose were tried and dropped: "reaching", "truth", "meeting"."""
        found = self.keywords.get(flag)
        if found is not None:
            return found
        groups: dict[str, set[str]] = {}
        for setter in self.src.setters.get(flag, ()):
            words = groups.setdefault(setter.scene, set())
            scene = self.story.scenes[setter.scene]
            loc = self.story.locations.get(scene.location)
            words.update(_words(loc.name if loc else ""))
            words.update(_words(setter.scene.replace("-", " ")))
            words.update(_words(setter.choice.replace("-", " ")))
        result: dict[str, frozenset[str]] = {}
        if len(groups) >= 2:
            common = self._common_words()
            for sid, words in groups.items():
                others = set().union(*(w for s, w in groups.items() if s != sid))
                result[sid] = frozenset(words - others - common)
        self.keywords[flag] = result
        return result

    def _common_words(self) -> frozenset[str]:
        """Words too common in the story's prose to name one place (in the text of more
        than 2% of the scenes, and at least 4): "river" in a story set by a river."""
        if self.common is None:
            seen: Counter[str] = Counter()
            for scene in self.story.scenes.values():
                words: set[str] = set()
                for block in scene.text.blocks:
                    words |= _words(block.text.source)
                    if block.otherwise is not None:
                        words |= _words(block.otherwise.source)
                seen.update(words)
            limit = max(4, len(self.story.scenes) // 50)
            self.common = frozenset(w for w, n in seen.items() if n > limit)
        return self.common


_STOP = frozenset(
    """about above after again against their there these those which while where would could
    should other every still under until being before first second third someone something
    floor around through scene choice party again""".split()
)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 5 and w not in _STOP}


def _names(word: str, text: str) -> bool:
    """The text names the word, and not as one of alternatives ("a skip or a river")."""
    for m in re.finditer(r"\b" + re.escape(word) + r"\b", text):
        around = text[max(0, m.start() - 12) : m.end() + 12]
        if not re.search(r"\bor\b", around):
            return True
    return False
