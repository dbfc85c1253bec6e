"""What to offer at the cursor: the context from the line being typed, the names from
the project's index. Pure: no pygls, no I/O, no loading."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .describe import FUNCTION_DOCS, describe_word, signature
from .index import (
    EFFECT_ARGS,
    FUNCTIONS,
    HAPPENINGS,
    PLAYER,
    QUANTIFIER_DOCS,
    QUANTIFIER_WORDS,
    STATUSES,
    WHO,
)
from .project import Project

LIMIT = 200  # more than this and the client asks again as the writer types
_W = r"([a-z0-9-]*)$"
_K = r"(?:^|[\s{,\[])"
_MEMBER_KEYS = "|".join((*(op for op, (kind, _) in EFFECT_ARGS.items() if kind == "member"), "who"))
_FLAG_KEYS = "|".join(op for op, (kind, _) in EFFECT_ARGS.items() if kind == "flag")
_ITEM_KEYS = "|".join((*(op for op, (kind, _) in EFFECT_ARGS.items() if kind == "item"), "inventory"))
_COUNTER_KEYS = "|".join(op for op, (kind, _) in EFFECT_ARGS.items() if kind == "counter")
# (pattern over the text before the cursor, what to offer); the first match wins
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), what)
    for p, what in (
        (r"\b([a-z]+)\(([^()]*)$", "call"),
        (_K + r"(?:" + _ITEM_KEYS + r"):\s*\{(?:[^{}]*,)?\s*" + _W, "item"),
        (_K + r"(?:" + _COUNTER_KEYS + r"):\s*\{(?:[^{}]*,)?\s*" + _W, "counter"),
        (r"(?<!\{)\{item:\s*" + _W, "item"),
        (r"(?<!\{)\{counter:\s*" + _W, "counter"),
        (r"(?<!\{)\{" + _W, "template"),
        (_K + r"(?:goto|scene|start):\s*[\"']?" + _W, "scene"),
        (_K + r"ending:\s*[\"']?([a-z0-9-]+)$", "scene"),
        (_K + r"location:\s*" + _W, "location"),
        (_K + r"fate_set:\s*(?:\[(?:[a-z0-9-]+,\s*)*)?" + _W, "fate-set"),
        (_K + r"on:\s*" + _W, "happening"),
        (_K + r"(?:" + _MEMBER_KEYS + r"):\s*(?:\[(?:[a-z0-9-]+,\s*)*)?" + _W, "member"),
        (_K + r"(?:" + _FLAG_KEYS + r"):\s*(?:\[(?:[a-z0-9-]+,\s*)*)?" + _W, "flag"),
        (_K + r"return:\s*" + _W, "true"),
        (_K + r"(?:if|when):\s*[\"']?(?:.*[\s(!])?" + _W, "expression"),
    )
)
_BARE = re.compile(r"^(\s*)(?:-\s+)?" + _W)
# a bare word under one of these keys (block style) is one of these names
_PARENTS = {
    **{op: kind for op, (kind, _) in EFFECT_ARGS.items() if kind != "member"},
    "inventory": "item",
    "items": "item",
    "counters": "counter",
    "flags": "flag",
    "members": "member",
    "who": "member",
}
_WORDS = ("party", "senses", "noise", "clock", "day", "not", "and", "or", "true", "false")


@dataclass(frozen=True, slots=True)
class Candidate:
    label: str
    kind: str  # scene, flag, counter, member, item, location, happening, function, keyword
    detail: str = ""
    doc: str = ""


def context(prefix: str, lines: Sequence[str], line_no: int) -> tuple[str, str, str]:
    """(what to offer, the word typed so far, an argument hint) at the end of `prefix`.
    `what` is "" when there is nothing to complete."""
    for pattern, what in _RULES:
        match = pattern.search(prefix)
        if match is None:
            continue
        if what == "call":
            spec = FUNCTIONS.get(match.group(1))
            args = match.group(2).split(",")
            if match.group(1) in QUANTIFIER_DOCS:  # anyone(present and inj|, anyone(x, pl|
                last = re.search(r"[a-z0-9-]*$", args[-1])
                if len(args) > 2 or last is None:
                    return "", "", ""
                return ("quality" if len(args) == 1 else "player"), last.group(0), match.group(1)
            if spec is None or len(args) > len(spec[0]):
                return "", "", ""
            word = args[-1].strip()
            if not re.fullmatch(r"[a-z0-9-]*", word):
                return "", "", ""
            return spec[0][len(args) - 1], word, match.group(1)
        return what, match.group(match.lastindex or 0), ""
    bare = _BARE.match(prefix)
    if bare is not None:
        parent = _parent_key(lines, line_no, len(bare.group(1)) + (1 if "-" in prefix else 0))
        if parent in _PARENTS:
            return _PARENTS[parent], bare.group(2), ""
    return "", "", ""


def _parent_key(lines: Sequence[str], line_no: int, indent: int) -> str:
    for i in range(line_no - 1, max(line_no - 200, -1), -1):
        text = lines[i]
        stripped = text.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(text) - len(stripped) < indent:
            key = re.match(r"(?:-\s+)?([a-z_]+):\s*$", stripped)
            return key.group(1) if key else ""
    return ""


def candidates(project: Project, what: str, word: str) -> tuple[list[Candidate], bool]:
    """The names to offer for `what`, those starting with `word` first, then those that
    contain it; (at most LIMIT of them, whether some were left out)."""
    pool = _cached_pool(project, what)
    starts = [c for c in pool if c.label.startswith(word)]
    if len(starts) < LIMIT and word:
        starts += [c for c in pool if word in c.label and not c.label.startswith(word)]
    return starts[:LIMIT], len(starts) > LIMIT


_POOLS: dict[tuple[int, str], tuple[int, list[Candidate]]] = {}


def _cached_pool(project: Project, what: str) -> list[Candidate]:
    """The sorted candidates, rebuilt only when the index changed (10,000 scenes take
    longer to sort and wrap than to filter)."""
    key = (id(project), what)
    cached = _POOLS.get(key)
    if cached is None or cached[0] != project.generation:
        cached = (project.generation, _pool(project, what))
        _POOLS[key] = cached
    return cached[1]


def _pool(project: Project, what: str) -> list[Candidate]:
    if what in ("scene", "flag", "counter", "item", "location", "fate-set"):
        out = [
            Candidate(name, what, defs[0].detail, "\n".join(defs[0].info))
            for name, defs in sorted(project.names(what).items())
        ]
        if what == "location":
            out.append(Candidate("here", "keyword", "wherever the event interrupted (event scenes)"))
        return out
    if what == "place":
        return _pool(project, "location")[:-1] + [
            Candidate(area, "keyword", "an area") for area in sorted(project.areas())
        ]
    if what == "member":
        return [
            Candidate(PLAYER, "keyword", "the player"),
            Candidate(WHO, "keyword", "the member an event is about"),
        ] + [
            Candidate(name, "member", defs[0].detail)
            for name, defs in sorted(project.names("member").items())
        ]
    if what == "template":
        return _pool(project, "member") + [
            Candidate("time", "keyword", "the clock, 08:45"),
            Candidate("day", "keyword", "the day"),
            Candidate("item:", "keyword", "how many of an item the party holds"),
            Candidate("counter:", "keyword", "a counter's value"),
        ]
    if what == "happening":
        return [Candidate(h, "happening", "a happening the engine raises") for h in HAPPENINGS]
    if what == "status":
        return [Candidate(s, "keyword", "a member's status") for s in STATUSES]
    if what == "quality":  # inside anyone(...) / count(...)
        return [Candidate(w, "keyword", doc, describe_word(w)) for w, doc in QUANTIFIER_WORDS.items()] + [
            Candidate(w, "keyword") for w in ("and", "or", "not")
        ]
    if what == "player":
        return [Candidate(PLAYER, "keyword", "the player counts too", describe_word(PLAYER))]
    if what == "trait":
        traits = sorted({t for defs in project.names("member").values() for t in defs[0].info})
        return [Candidate(t, "keyword", "a trait") for t in traits]
    if what == "true":
        return [Candidate("true", "keyword", "go back to the scene the event interrupted")]
    if what == "expression":
        calls = [
            Candidate(name, "function", signature(name), FUNCTION_DOCS.get(name, ""))
            for name in sorted(FUNCTIONS)
        ]
        return calls + [Candidate(w, "keyword") for w in _WORDS]
    return []
