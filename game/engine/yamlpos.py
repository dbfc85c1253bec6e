"""Safe YAML reading that keeps a line and column for every mapping key and value.

Built on libyaml's C parser (`CSafeLoader`) when it is available. Refuses what a story
never needs and a stranger's file might use against us: aliases and anchors (the
"billion laughs"), merge keys, explicit Python tags, duplicate keys, non-UTF-8 bytes and
oversized files.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from typing import Any

import yaml

try:
    _Base: Any = yaml.CSafeLoader
    HAVE_LIBYAML = True
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.SafeLoader
    HAVE_LIBYAML = False

MAX_FILE_BYTES = 8 * 1024 * 1024
_COL_BITS = 20
_COL_MASK = (1 << _COL_BITS) - 1


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
    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.problems: list[YamlProblem] = []

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _Refused(node.start_mark, "anchors and aliases (&name, *name) are not allowed in stories")
        if getattr(node, "anchor", None):  # pragma: no cover - libyaml drops anchors
            raise _Refused(node.start_mark, "anchors (&name) are not allowed in stories")
        return super().construct_object(node, deep)


def _construct_map(loader: PosLoader, node: Any) -> Any:
    data = YMap()
    data.pos = pack(node.start_mark)
    yield data
    kpos = data.kpos
    vpos = data.vpos
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Refused(key_node.start_mark, "merge keys (<<) are not allowed in stories")
        key = loader.construct_object(key_node)
        try:
            hash(key)
        except TypeError:
            raise _Refused(key_node.start_mark, "a mapping key must be a plain value") from None
        if key in data:
            line, col = unpack(kpos[key])
            m = key_node.start_mark
            loader.problems.append(
                YamlProblem(
                    m.line + 1,
                    m.column + 1,
                    f"duplicate key {key!r} (first at line {line}, column {col})",
                )
            )
            continue
        data[key] = loader.construct_object(value_node)
        kpos[key] = pack(key_node.start_mark)
        vpos[key] = pack(value_node.start_mark)


def _construct_seq(loader: PosLoader, node: Any) -> Any:
    data = YList()
    data.pos = pack(node.start_mark)
    yield data
    ipos = data.ipos
    for child in node.value:
        data.append(loader.construct_object(child))
        ipos.append(pack(child.start_mark))


# YAML 1.1 reads `on:`, `yes`, `no`, `off` as booleans; an event's `on:` key would turn
# into True. Stories use YAML 1.2's booleans: only true and false.
_BOOL = "tag:yaml.org,2002:bool"
PosLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
PosLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

PosLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
PosLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _refuse_tag(loader: PosLoader, suffix: str, node: Any) -> Any:
    raise _Refused(node.start_mark, f"the tag {node.tag!r} is not allowed in stories")


PosLoader.add_multi_constructor("", _refuse_tag)

_warned = False


def read_yaml(path: str) -> tuple[Any, list[YamlProblem]]:
    """Parse one file. Returns (data or None, problems); never raises for bad content."""
    global _warned
    if not HAVE_LIBYAML and not _warned:  # pragma: no cover
        warnings.warn("libyaml is not available: loading stories will be slow", stacklevel=2)
        _warned = True
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
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [YamlProblem(line, col, f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded")]
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = PosLoader(text)
    try:
        data = loader.get_single_data()
    except _Refused as exc:
        return None, [YamlProblem(exc.mark.line + 1, exc.mark.column + 1, exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        return None, [YamlProblem(line, col, f"YAML syntax: {what}")]
    except yaml.YAMLError as exc:
        return None, [YamlProblem(1, 1, f"YAML: {exc}")]
    except RecursionError:
        return None, [YamlProblem(1, 1, "the file nests too deeply")]
    finally:
        loader.dispose()
    return data, loader.problems
