"""A run's steps: `Step` (one choice taken) and `Steps`, the sequence a `Run` keeps, which
appends in O(1) and keeps each step's save text (a line, and shared encoded pieces of
512 steps) so a long run's save never serializes or joins its steps again."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Step:
    scene: str  # scene id the choice was taken in
    choice: str  # choice id
    label: str  # the label as shown (for people reading the file)
    outcome: int | None = None  # a forced roll outcome (explore's witnesses); None = drawn

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"scene": self.scene, "choice": self.choice, "label": self.label}
        if self.outcome is not None:
            out["outcome"] = self.outcome
        return out


_LINES_LOCK = threading.Lock()
_CHUNK = 512  # steps per shared piece of encoded save text
_SEP = ",\n    "
_BSEP = _SEP.encode()


class Steps(Sequence[Step]):
    """A run's steps: an immutable sequence that appends in O(1) and keeps each step's
    line of save text, so saving a long run does not serialize it again each choice.

    Runs made one from another share one list: `appended` adds to it in place when this
    is its longest user (the common case: one choice after another) and copies only when
    a run branches from an earlier point (after an undo). Items before `len(self)` are
    never changed, so every `Steps` sharing the list sees the same steps it always had.
    The same holds for the save text: every `_CHUNK` steps' lines are encoded once into
    one shared `bytes` piece, so a save hands the file its steps as those pieces plus
    the lines since the last whole piece (see `pieces`), never one string of the run.
    Compares equal to a tuple (or any sequence) of the same steps."""

    __slots__ = ("_chunks", "_items", "_lines", "_n")

    def __init__(self, steps: Sequence[Step] = ()) -> None:
        self._items: list[Step] = list(steps)
        self._lines: list[str] = []  # the JSON text of _items[:len(_lines)], made on demand
        self._chunks: list[bytes] = []  # chunk j: lines [j*_CHUNK, (j+1)*_CHUNK) joined, encoded
        self._n = len(self._items)

    def appended(self, step: Step) -> Steps:
        items, lines, chunks = self._items, self._lines, self._chunks
        if len(items) != self._n:  # a branch: copy what is ours
            with _LINES_LOCK:
                n = self._n
                items, lines, chunks = items[:n], lines[:n], chunks[: n // _CHUNK]
        items.append(step)
        out = object.__new__(Steps)
        out._items, out._lines, out._chunks, out._n = items, lines, chunks, self._n + 1
        return out

    def _fill(self) -> list[str]:
        lines, items = self._lines, self._items
        for i in range(len(lines), self._n):
            lines.append(_js(items[i].to_dict()))
        return lines

    def lines(self) -> list[str]:
        """Each step as its line of save text (`json.dumps` of its dict), cached."""
        with _LINES_LOCK:  # the autosave thread and a save from the app may both be here
            return self._fill()[: self._n]

    def pieces(self) -> list[bytes]:
        """The steps as the save file has them (each line indented, joined by commas),
        UTF-8, in pieces to write one after another: the shared encoded chunks and the
        lines after the last whole one. A save of a long run costs a list of ~n/512
        references here, not a copy of its text."""
        with _LINES_LOCK:  # the autosave thread and a save from the app may both be here
            n = self._n
            if n == 0:
                return []
            lines, chunks = self._fill(), self._chunks
            whole = n // _CHUNK
            for j in range(len(chunks), whole):
                chunks.append(_SEP.join(lines[j * _CHUNK : (j + 1) * _CHUNK]).encode("utf-8"))
            out = [b"    "]
            for j in range(whole):
                if j:
                    out.append(_BSEP)
                out.append(chunks[j])
            if whole * _CHUNK < n:
                if whole:
                    out.append(_BSEP)
                out.append(_SEP.join(lines[whole * _CHUNK : n]).encode("utf-8"))
            return out

    def block(self) -> str:
        """The steps as the save file has them: each line indented, joined by commas."""
        return b"".join(self.pieces()).decode("utf-8")

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self._items[: self._n][index])
        if index < 0:
            index += self._n
        if not 0 <= index < self._n:
            raise IndexError("step index out of range")
        return self._items[index]

    def __iter__(self) -> Iterator[Step]:
        items = self._items
        for i in range(self._n):
            yield items[i]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(other) == self._n and all(a == b for a, b in zip(self, other, strict=False))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Steps({tuple(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Steps, (tuple(self),))
