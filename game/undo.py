"""`History`: the states before each step of a session (what undo goes back to), in
constant memory per step.

Keeping every state costs about 3 KiB a step (each state's changed sets and counts), so
a 10,000-step run held ~30 MiB for undo alone. A `History` keeps every `CHECKPOINT`-th
state and the newest one; any other is taken again from the kept state before it with
the recorded choices. That is exact: `rules.choose` is a pure function of the state
(the RNG is in it), and each kept move is the one that made the next state. Reads of an
old state are rare (undo reads the newest; the map's trail of places is kept as the
states come, see `trail`), and cost at most `CHECKPOINT - 1` steps of the engine.

It reads like the list it replaces (`len`, `[i]`, `[-1]`, iteration, `pop`). States
given without their moves (`History(story, states)`) are all kept, as before.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import Any

from .engine import rules
from .engine.model import HERE, Story
from .engine.state import GameState

CHECKPOINT = 16


class History(Sequence[GameState]):
    def __init__(
        self,
        story: Story | None = None,
        states: Sequence[GameState] = (),
        moves: Sequence[tuple[str, int | None]] | None = None,
    ) -> None:
        self.story = story  # set before the first state is added (a Session sets it)
        self._kept: dict[int, GameState] = {}
        self._moves: list[str | None] = []  # the choice taken from state i; None: cannot retake
        self._forced: dict[int, int] = {}  # forced roll outcomes (explore's witnesses), by step
        self._trail: list[str] = []  # the places the states went through (see `trail`)
        self._trail_len = array("q")  # len(self._trail) once state i was added
        if moves is None:
            for state in states:
                self.append(state, None)
        else:
            for state, (choice_id, outcome) in zip(states, moves, strict=True):
                self.append(state, choice_id, outcome)

    def append(self, state: GameState, choice_id: str | None, outcome: int | None = None) -> None:
        """Add the state a step was taken from, with that step's choice and forced
        outcome (a choice of None: the next state cannot be taken again from this one,
        so it is kept)."""
        n = len(self._moves)
        last = n - 1
        if last > 0 and last % CHECKPOINT and self._moves[last - 1] is not None:
            # the newest so far can be taken again from the one before it (kept, or
            # itself taken again): keep it only on a checkpoint
            del self._kept[last]
        self._kept[n] = state
        self._moves.append(choice_id)
        if outcome is not None:
            self._forced[n] = outcome
        assert self.story is not None, "a History needs its story before it takes states"
        where = rules.location(self.story, state)
        if self._counts(where, self._trail):
            self._trail.append(where)
        self._trail_len.append(len(self._trail))

    def pop(self) -> GameState:
        """The newest state, removed (undo). The state before it becomes the newest."""
        n = len(self._moves)
        if not n:
            raise IndexError("pop from an empty history")
        state = self._state(n - 1)
        del self._kept[n - 1]
        self._moves.pop()
        self._forced.pop(n - 1, None)
        self._trail_len.pop()
        del self._trail[self._trail_len[-1] if self._trail_len else 0 :]
        if n - 2 >= 0 and n - 2 not in self._kept:
            self._kept[n - 2] = self._state(n - 2)
        return state

    def trail(self, state: GameState) -> list[str]:
        """The places the run went through up to `state` (the state after the newest
        here), in order, a place stayed in counted once: what `tui.widgets.map.trail_of`
        gives for all the states, kept as the states come instead of walked each time."""
        assert self.story is not None
        out = list(self._trail)
        where = rules.location(self.story, state)
        if self._counts(where, out):
            out.append(where)
        return out

    def _counts(self, where: str, trail: list[str]) -> bool:
        assert self.story is not None
        if not where or where == HERE or where not in self.story.locations:
            return False
        return not trail or trail[-1] != where

    def _state(self, i: int) -> GameState:
        kept = self._kept.get(i)
        if kept is not None:
            return kept
        j = i
        while j not in self._kept:
            j -= 1
        state = self._kept[j]
        story = self.story
        assert story is not None
        for k in range(j, i):
            choice_id = self._moves[k]
            assert choice_id is not None  # only states that can be taken again are dropped
            state = rules.choose(story, state, choice_id, self._forced.get(k))[0]
        return state

    def __len__(self) -> int:
        return len(self._moves)

    def __getitem__(self, index: Any) -> Any:
        n = len(self._moves)
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(n))]
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("history index out of range")
        return self._state(index)

    def __iter__(self) -> Iterator[GameState]:
        state: GameState | None = None
        story = self.story
        for i in range(len(self._moves)):
            kept = self._kept.get(i)
            if kept is None:
                choice_id = self._moves[i - 1]
                assert state is not None and story is not None and choice_id is not None
                kept = rules.choose(story, state, choice_id, self._forced.get(i - 1))[0]
            state = kept
            yield state

    def __repr__(self) -> str:
        return f"History({len(self)} states, {len(self._kept)} kept)"
