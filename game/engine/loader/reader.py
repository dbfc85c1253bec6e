"""Reading YAML nodes with positions: the base of the story builder.

`Reader` holds everything one load accumulates (diagnostics, the index of references,
declared flags and counters, scenes, events) and the checked accessors every part of the
loader uses to read a field: each reports a positioned error and returns a default
instead of raising.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, did_you_mean
from ..expr import Compiled, Context
from ..model import EventRule, Pos, Scene
from ..yamlpos import YList, YMap
from .references import References, Stats

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_new_tuple = tuple.__new__
_KNOWN: dict[tuple[str, ...], frozenset[str]] = {}  # each field list as a set, made once


class Reader:
    def __init__(self, root: Path, display_root: str) -> None:
        self.root = root
        self.display_root = display_root
        self.diags: list[Diagnostic] = []
        self.ctx = Context()
        self.refs = References(manifest=Pos(display_root + "/story.yaml", 1, 1))
        self.stats = Stats()
        self.path = ""
        self.flags: dict[str, str] = {}
        self.counters: dict[str, int] = {}
        self.scenes: dict[str, Scene] = {}
        self.events: list[EventRule] = []
        self.words = 0
        # conditions repeat a lot (`present(ha-ri)`): compile each source once
        self.compiled: dict[str, Compiled] = {}
        # file lines by display path, split only to place positions inside a text, from
        # the text the file was parsed from (`file_texts`, by display path)
        self.file_lines: dict[str, list[str]] = {}
        self.file_texts: dict[str, str] = {}
        # one object for each distinct text value and template part of the whole load
        # (see yamlpos._Builder): a large story repeats ids and names thousands of times
        self.shared: dict[Any, Any] = {}
        self.line_numbers: list[int] = []  # [i] is i + 1: one int object per line number

    # -- positions and diagnostics -------------------------------------------------

    def display(self, path: Path) -> str:
        return os.path.join(self.display_root, os.path.relpath(path, self.root))

    def pos(self, packed: int | None) -> Pos:
        if packed is None:
            return Pos(self.path, 1, 1)
        # tuple.__new__ skips the NamedTuple's Python-level constructor: the loader makes
        # a Pos for nearly every node of a story, and shares the line numbers' ints
        line = packed >> 20
        numbers = self.line_numbers
        if line >= len(numbers):
            numbers.extend(range(len(numbers) + 1, line + 2))
        return _new_tuple(Pos, (self.path, numbers[line], (packed & 0xFFFFF) + 1))

    def kpos(self, m: YMap, key: str) -> Pos:
        return self.pos(m.kpos.get(key, m.pos))

    def vpos(self, m: YMap, key: str) -> Pos:
        # `pos` inlined: the loader asks for a value's position ~120,000 times per
        # 10,000 scenes
        packed = m.vpos.get(key, m.pos)
        line = packed >> 20
        numbers = self.line_numbers
        if line >= len(numbers):
            numbers.extend(range(len(numbers) + 1, line + 2))
        return _new_tuple(Pos, (self.path, numbers[line], (packed & 0xFFFFF) + 1))

    def error(self, pos: Pos, message: str) -> None:
        self.diags.append(Diagnostic.at(pos, "error", message))

    def warning(self, pos: Pos, message: str) -> None:
        self.diags.append(Diagnostic.at(pos, "warning", message))

    # -- field validation ------------------------------------------------------------

    def fields(
        self,
        m: Any,
        what: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...] = (),
        at: Pos | None = None,
    ) -> YMap | None:
        if not isinstance(m, YMap):
            self.error(at or Pos(self.path, 1, 1), f"{what} must be a mapping, got {kind_of(m)}")
            return None
        known = _KNOWN.get(allowed)
        if known is None:
            known = _KNOWN[allowed] = frozenset(allowed)
        if not known.issuperset(m):  # some key unknown (or not text): say which, in order
            self.unknown_fields(m, what, allowed)
        for key in required:
            if key not in m:
                self.error(self.pos(m.pos), f"{what} is missing the field {key!r}")
        return m

    def unknown_fields(self, m: YMap, what: str, allowed: tuple[str, ...]) -> None:
        for key in m:
            if not isinstance(key, str) or key not in allowed:
                self.error(
                    self.kpos(m, key),
                    f"unknown field {key!r} in {what}" + did_you_mean(str(key), allowed),
                )

    def text_value(self, m: YMap, key: str, what: str) -> str | None:
        value = m.get(key)
        if value is None and key not in m:
            return None
        if isinstance(value, str):
            return value
        hint = f' (quote it: "{value}")' if isinstance(value, bool | int | float) else ""
        self.error(self.vpos(m, key), f"{what}.{key} must be text, got {kind_of(value)}{hint}")
        return None

    def int_value(self, m: YMap, key: str, what: str, default: int, lo: int | None = None) -> int:
        if key not in m:
            return default
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(self.vpos(m, key), f"{what}.{key} must be a whole number, got {kind_of(value)}")
            return default
        if lo is not None and value < lo:
            self.error(self.vpos(m, key), f"{what}.{key} must be at least {lo}")
            return default
        return value

    def num_value(self, m: YMap, key: str, what: str, default: float) -> float:
        if key not in m:
            return default
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(self.vpos(m, key), f"{what}.{key} must be a number, got {kind_of(value)}")
            return default
        return float(value)

    def bool_value(self, m: YMap, key: str, what: str, default: bool) -> bool:
        if key not in m:
            return default
        value = m[key]
        if not isinstance(value, bool):
            self.error(self.vpos(m, key), f"{what}.{key} must be true or false, got {kind_of(value)}")
            return default
        return value

    def id_value(self, m: YMap, key: str, what: str) -> str | None:
        value = self.text_value(m, key, what)
        if value is None:
            return None
        if not ID_RE.match(value):
            self.error(
                self.vpos(m, key),
                f"{what}.{key} {value!r} is not an id (lower-case words joined by '-')",
            )
            return None
        return value

    def items_of(self, m: YMap, key: str, what: str) -> Iterator[tuple[Any, Pos]]:
        value = m.get(key)
        if value is None:
            return
        if not isinstance(value, YList):
            self.error(self.vpos(m, key), f"{what}.{key} must be a list, got {kind_of(value)}")
            return
        for i, item in enumerate(value):
            yield item, self.pos(value.ipos[i])

    @staticmethod
    def kind_of(value: Any) -> str:
        return kind_of(value)


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__
