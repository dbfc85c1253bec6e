"""The index of references: every name a story defines and every place it is used.

The loader fills one `References` while it reads a story and returns it in
`LoadResult.references`. The cross-reference checks (`check.check_story`) read it, and
so can any tool that needs "where is this defined / where is it used" (an editor's
go-to-definition, find-references, rename):

    result = load_story("story")
    refs = result.references
    refs.definitions["flag"]["door-barricaded"]        # Pos of its declaration
    [pos for kind, name, pos in refs.uses if (kind, name) == ("scene", "roof")]

Positions are `Pos(path, line, col)`, 1-based, with the path as the loader displays it
(`display_root` joined with the file's path inside the story folder).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Pos

# kinds of name, as they appear in `uses` and `definitions`
KINDS = ("scene", "member", "item", "location", "flag", "counter", "event", "place", "trait", "status")


@dataclass
class References:
    """What the story defines and mentions, with where.

    - `definitions[kind][name]`: where each name is defined, for kinds `scene`, `member`
      (cast ids), `item`, `location`, `flag`, `counter` and `event`. The first definition
      wins; duplicates are reported as errors by the loader.
    - `uses`: every mention, in reading order, as `(kind, name, pos)`. Kinds are those of
      `definitions` plus `place` (a location or an area, from `at(...)`), `trait` and
      `status` (from conditions). `player` and `who` appear as members; they have no
      definition.
    - `flags_read` / `flags_set` / `counters_read` / `counters_set`: the first place a
      flag or counter is read (in a condition or a template) or changed (by an effect).
    - `bites_player` / `kills_player`: some effect can bite or turn, or kill, the player.
    - `manifest`: the position that stands for the story as a whole (its story.yaml).
    """

    manifest: Pos = Pos("story.yaml", 1, 1)
    definitions: dict[str, dict[str, Pos]] = field(default_factory=dict)
    uses: list[tuple[str, str, Pos]] = field(default_factory=list)
    flags_read: dict[str, Pos] = field(default_factory=dict)
    flags_set: dict[str, Pos] = field(default_factory=dict)
    counters_read: dict[str, Pos] = field(default_factory=dict)
    counters_set: dict[str, Pos] = field(default_factory=dict)
    bites_player: bool = False
    kills_player: bool = False

    def define(self, kind: str, name: str, pos: Pos) -> None:
        self.definitions.setdefault(kind, {}).setdefault(name, pos)

    def defined(self, kind: str) -> dict[str, Pos]:
        return self.definitions.get(kind, {})

    def counter_set(self, name: str, pos: Pos) -> None:
        self.counters_set.setdefault(name, pos)

    def uses_of(self, kind: str, name: str) -> list[Pos]:
        """Every position where `name` of `kind` is mentioned."""
        return [pos for k, n, pos in self.uses if k == kind and n == name]


@dataclass
class Stats:
    files: int = 0
    scenes: int = 0
    choices: int = 0
    endings: int = 0
    words: int = 0
    cast: int = 0
    events: int = 0

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)
