"""Safe YAML reading that keeps a line and column for every mapping key and value.

Built on libyaml's C parser (`CSafeLoader`) when it is available. Refuses what a story
never needs and a stranger's file might use against us: aliases and anchors (the
"billion laughs"), merge keys, explicit Python tags, duplicate keys, non-UTF-8 bytes and
oversized files.
"""

from __future__ import annotations

import operator
import os
import re
from dataclasses import dataclass
from typing import Any

import yaml

try:
    _Base: Any = yaml.CSafeLoader
    HAVE_LIBYAML = True
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.SafeLoader
    HAVE_LIBYAML = False

LIBYAML_WARNING = "hyosan: warning: libyaml is not available; story files are parsed in pure Python (slower)"
MAX_FILE_BYTES = 8 * 1024 * 1024
_COL_BITS = 20
_COL_MASK = (1 << _COL_BITS) - 1  # the builder below writes these two as 20 and 0xFFFFF (constants)


def pack(mark: Any) -> int:
    """A node's start as one int (0-based line and column): cheap to keep by the million."""
    return (int(mark.line) << _COL_BITS) | min(int(mark.column), _COL_MASK)


def unpack(packed: int) -> tuple[int, int]:
    """1-based (line, col) from `pack`."""
    return (packed >> _COL_BITS) + 1, (packed & _COL_MASK) + 1


class YMap(dict[Any, Any]):
    """A mapping with the position of itself, each key and each value."""

    __slots__ = ("pos", "kpos", "vpos")

    def __init__(self) -> None:
        super().__init__()
        self.pos = 0
        self.kpos: dict[Any, int] = {}
        self.vpos: dict[Any, int] = {}


class YList(list[Any]):
    """A sequence with the position of itself and of each item."""

    __slots__ = ("pos", "ipos")

    def __init__(self) -> None:
        super().__init__()
        self.pos = 0
        self.ipos: list[int] = []


@dataclass(frozen=True, slots=True)
class YamlProblem:
    line: int
    col: int
    message: str


class _Refused(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class PosLoader(_Base):  # type: ignore[misc]
    """libyaml parses and composes; `_Builder` below turns nodes into YMap/YList."""


class PurePosLoader(yaml.SafeLoader):
    """The same in pure Python, for a PyYAML built without libyaml (slower)."""


# YAML 1.1 reads `on:`, `yes`, `no`, `off` as booleans; an event's `on:` key would turn
# into True. Stories use YAML 1.2's booleans: only true and false.
_BOOL = "tag:yaml.org,2002:bool"
_RESOLVERS: dict[str, list[tuple[str, Any]]] = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    if first is not None
}
for _first in "tTfF":
    _RESOLVERS.setdefault(_first, []).insert(
        0, (_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"))
    )

_STR = "tag:yaml.org,2002:str"


def _resolve(self: Any, kind: Any, value: Any, implicit: Any) -> str:
    # PyYAML's resolve(), minus what stories never use (path resolvers, wildcard
    # resolvers); the C parser calls it for every node, so it is worth the lines.
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, regexp in _RESOLVERS.get(value[:1], ()):
                if regexp.match(value):
                    return str(tag)
        return _STR
    if kind is yaml.SequenceNode:
        return _SEQ
    return _MAP


PosLoader.resolve = _resolve
PurePosLoader.resolve = _resolve  # type: ignore[method-assign]
# The composer calls descend_resolver(parent, index) and ascend_resolver() around every
# node, for path resolvers, which stories never use: two Python calls per node. Builtins
# (staticmethod, so not bound) answer them in C: `operator.is_(parent, index)` and
# `tuple()` do nothing the composer looks at (it ignores both results).
for _loader in (PosLoader, PurePosLoader):
    _loader.descend_resolver = staticmethod(operator.is_)  # type: ignore[method-assign]
    _loader.ascend_resolver = staticmethod(tuple)  # type: ignore[method-assign]
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


_NO_ALIASES = "anchors and aliases (&name, *name) are not allowed in stories"


class _Builder:
    """Nodes -> plain data, keeping positions. A direct walk is faster than PyYAML's
    generic constructor, and it sees every node once: a node met twice is an alias.

    `track` is off when the file has no `&` at all: without an anchor there can be no
    alias, and the walk skips remembering nodes (a third of its time on large stories).

    `strings`, when given, makes equal text values one object (ids, names and labels
    repeat thousands of times in a large story, and libyaml makes a new string for each):
    shared by every file of one load, it is what keeps the loaded story small."""

    def __init__(self, loader: Any, track: bool = True, strings: dict[Any, Any] | None = None) -> None:
        self.loader = loader
        self.track = track
        self.seen: set[int] = set()
        self.problems: list[YamlProblem] = []
        self.share: Any = strings.setdefault if strings is not None else _same

    def build(self, node: Any) -> Any:
        if self.track:
            if id(node) in self.seen:
                raise _Refused(node.start_mark, _NO_ALIASES)
            self.seen.add(id(node))
        tag = node.tag
        if tag == _STR:
            value = node.value
            return self.share(value, value)
        if tag == _MAP:
            return self.mapping(node)
        if tag == _SEQ:
            return self.sequence(node)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return node.value in ("true", "True", "TRUE")
        if tag == _INT:
            return self.loader.construct_yaml_int(node)
        if tag == _FLOAT:
            return self.loader.construct_yaml_float(node)
        if tag == _TIMESTAMP:
            return node.value  # dates stay text: a story has no use for datetime objects
        raise _Refused(node.start_mark, f"the tag {tag!r} is not allowed in stories")

    def sequence(self, node: Any) -> YList:
        data = YList()
        mark = node.start_mark
        data.pos = (mark.line << 20) | (mark.column & 0xFFFFF)  # pack(), inlined
        build = self.build
        share = self.share
        fast = not self.track
        ipos = data.ipos
        append = data.append
        for child in node.value:
            # plain text is most of a story: take it without a call when it is safe
            if fast and child.tag == _STR:
                value = child.value
                append(share(value, value))
            else:
                append(build(child))
            m = child.start_mark
            ipos.append((m.line << 20) | (m.column & 0xFFFFF))
        return data

    def mapping(self, node: Any) -> YMap:
        data = YMap()
        mark = node.start_mark
        data.pos = (mark.line << 20) | (mark.column & 0xFFFFF)  # pack(), inlined
        kpos = data.kpos
        vpos = data.vpos
        build = self.build
        share = self.share
        fast = not self.track
        for key_node, value_node in node.value:
            key_tag = key_node.tag
            if fast and key_tag == _STR:  # the usual key: plain text
                key = key_node.value
            else:
                if key_tag == _MERGE:
                    raise _Refused(key_node.start_mark, "merge keys (<<) are not allowed in stories")
                key = build(key_node)
                if isinstance(key, list | dict):
                    raise _Refused(key_node.start_mark, "a mapping key must be a plain value")
            km = key_node.start_mark
            if key in data:
                line, col = unpack(kpos[key])
                self.problems.append(
                    YamlProblem(
                        km.line + 1,
                        km.column + 1,
                        f"duplicate key {key!r} (first at line {line}, column {col})",
                    )
                )
                build(value_node)
                continue
            if fast and value_node.tag == _STR:
                value = value_node.value
                data[key] = share(value, value)
            else:
                data[key] = build(value_node)
            vm = value_node.start_mark
            kpos[key] = (km.line << 20) | (km.column & 0xFFFFF)
            vpos[key] = (vm.line << 20) | (vm.column & 0xFFFFF)
        return data


def _same(value: Any, _default: Any) -> Any:
    return value


def read_yaml(
    path: str,
    loader_class: Any = PosLoader,
    digest: Any = None,
    strings: dict[Any, Any] | None = None,
    texts: dict[str, str] | None = None,
) -> tuple[Any, list[YamlProblem]]:
    """Parse one file. Returns (data or None, problems); never raises for bad content.

    Without libyaml, `PosLoader` is the pure-Python loader; the commands say so once
    (see `LIBYAML_WARNING`). `digest`, a hashlib object, is fed the bytes read, so the
    story's digest costs no second read. `strings` (a dict kept across the files of one
    load) makes equal text values one shared object. `texts`, when given, gets the
    decoded text under `path` (as read, byte order mark included), so a caller that
    needs the file's lines need not read it again."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        return None, [YamlProblem(1, 1, f"cannot read: {exc.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [
            YamlProblem(
                1,
                1,
                f"file is {size / 1048576:.1f} MB; a story file may be at most "
                f"{MAX_FILE_BYTES // 1048576} MB",
            )
        ]
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [YamlProblem(1, 1, f"cannot read: {exc.strerror}")]
    if digest is not None:
        digest.update(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [YamlProblem(line, col, f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded")]
    if texts is not None:
        texts[path] = text
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        loader = loader_class(text)  # the pure-Python reader checks the characters here
    except yaml.reader.ReaderError as exc:
        return None, [_bad_character(text, exc)]
    builder = _Builder(loader, track=b"&" in raw, strings=strings)
    try:
        node = loader.get_single_node()
        data = builder.build(node) if node is not None else None
    except _Refused as exc:
        return None, [YamlProblem(exc.mark.line + 1, exc.mark.column + 1, exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        return None, [YamlProblem(line, col, f"YAML syntax: {what}")]
    except yaml.reader.ReaderError as exc:
        return None, [_bad_character(text, exc)]
    except yaml.YAMLError as exc:
        return None, [YamlProblem(1, 1, "YAML: " + " ".join(str(exc).split()))]
    except RecursionError:
        return None, [YamlProblem(1, 1, "the file nests too deeply")]
    finally:
        loader.dispose()
    return data, builder.problems


def _bad_character(text: str, exc: yaml.reader.ReaderError) -> YamlProblem:
    """A character YAML does not allow (a NUL, a control character): where it is, in one line."""
    before = text[: exc.position]
    line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return YamlProblem(line, col, f"YAML: character U+{char:04X} is not allowed in a story file")
