"""`Visits`: how many times each scene was entered, as an immutable mapping that a step
can bump without copying the whole count.

Every step enters a scene, so a plain dict would be copied every step: O(scenes seen)
per step, quadratic over a long run. A `Visits` is a shared base dict plus a small dict
of recent changes; bumping copies only the small one, and folds it into a new base when
it grows past about the square root of the base (amortised O(sqrt n) per step). Neither
dict is ever edited after the `Visits` holding it is made, so states can share them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class Visits(Mapping[str, int]):
    __slots__ = ("_base", "_recent")

    def __init__(self, counts: Mapping[str, int] | None = None) -> None:
        self._base: dict[str, int] = dict(counts) if counts else {}
        self._recent: dict[str, int] = {}

    @staticmethod
    def of(counts: Mapping[str, int]) -> Visits:
        return counts if type(counts) is Visits else Visits(counts)

    def bumped(self, scene_id: str) -> Visits:
        """A new `Visits` with one more visit to `scene_id`; this one is unchanged."""
        recent = self._recent.copy()
        # `self.get` written out: a recent count is never 0, so `or` falls through
        recent[scene_id] = (recent.get(scene_id) or self._base.get(scene_id, 0)) + 1
        out = object.__new__(Visits)
        if len(recent) * len(recent) > len(self._base) + 256:
            out._base = {**self._base, **recent}
            out._recent = {}
        else:
            out._base = self._base
            out._recent = recent
        return out

    def counts(self) -> dict[str, int]:
        """The counts as a new plain dict (iterating the mapping is slower)."""
        return {**self._base, **self._recent}

    def get(self, key: str, default: Any = None) -> Any:
        value = self._recent.get(key)
        if value is not None:
            return value
        return self._base.get(key, default)

    def __getitem__(self, key: str) -> int:
        value = self._recent.get(key)
        if value is not None:
            return value
        return self._base[key]

    def __contains__(self, key: object) -> bool:
        return key in self._recent or key in self._base

    def __iter__(self) -> Iterator[str]:
        yield from self._base
        for key in self._recent:
            if key not in self._base:
                yield key

    def __len__(self) -> int:
        return len(self._base) + sum(1 for key in self._recent if key not in self._base)

    def __repr__(self) -> str:
        return f"Visits({dict(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Visits, (dict(self),))
