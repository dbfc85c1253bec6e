"""Hover text (Markdown) for a name: what it is, where it is defined, who uses it; and
for the condition language's own functions, what they ask."""

from __future__ import annotations

import os
import re

from .index import FUNCTIONS, QUANTIFIER_DOCS, QUANTIFIER_WORDS
from .project import Project
from .walk import Use

# what each function of the condition language asks (docs/story-format.md, Conditions);
# a test holds it to `expr.FUNCTIONS`
FUNCTION_DOCS: dict[str, str] = {
    "present": "the member is with the party and can act (human or hambie)",
    "with": "the member is with the party, whatever their status",
    "alive": "human or hambie (not dead, not a zombie), wherever they are",
    "known": "the member is bitten and the party knows it",
    "is": "the member has the status: healthy, injured, bitten, zombie, hambie, dead, missing, away",
    "trait": "the member has the trait and is present",
    "hunger": "number: a hambie's hunger, 0-100",
    "has": "the party holds at least one",
    "item": "number: how many the party holds",
    "flag": "the flag is set",
    "counter": "number: the counter's value",
    "visits": "number: times the scene was entered",
    "visited": "the scene was entered at least once",
    "at": "the current scene's location is the place, or lies in the area",
    "you": "the member is the player (useful as `you(who)` in events)",
    "bitten_at": "the member was bitten at the place",
    "turned_at": "the member turned at the place",
    "died_at": "the member died at the place",
    "lost_at": "the member was lost track of at the place",
    "saw": "the witness was with the party and saw it happen to the member",
    "bitten_by": "a `bite` named the biter as `by:`",
    "hid_bite": "the member took a bite that was concealed when it happened",
    "day_of": "number: the day it last happened to the member; 0 if never",
    "been": "the run has entered a scene at this location, or anywhere in this area",
    "daypart": "the clock is in this part of the day (dawn, morning, midday, afternoon, evening, night)",
    **QUANTIFIER_DOCS,
}
_ARGS = {"quality": "state", "player": "player"}


def signature(name: str) -> str:
    """`is(member, status) -> bool`; `anyone(state[, player]) -> bool`."""
    kinds, result = FUNCTIONS[name]
    if name in QUANTIFIER_DOCS:
        return f"{name}(state[, player]) -> {result}"
    return f"{name}({', '.join(_ARGS.get(k, k) for k in kinds)}) -> {result}"


def describe_function(name: str) -> str:
    return f"**function** `{signature(name)}`: {FUNCTION_DOCS.get(name, '')}"


def describe_word(word: str) -> str:
    """A word inside `anyone(...)` / `count(...)`."""
    if word == "player":
        return "**player**: after a comma in `anyone(...)` / `count(...)`, the player counts too"
    return f"**state** `{word}` (in `anyone(...)` / `count(...)`): {QUANTIFIER_WORDS[word]}"


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_QUANTIFIER_OPEN = re.compile(r"\b(?:" + "|".join(QUANTIFIER_DOCS) + r")\(([^()]|\([^()]*\))*$")


def describe_at(line: str, col: int) -> tuple[str, int, int] | None:
    """Hover for the condition language's own words at `col` in `line`: a function
    name before its `(`, or a state word inside `anyone(...)`. (text, start, end)."""
    for m in _WORD.finditer(line):
        if not m.start() <= col <= m.end():
            continue
        word = m.group(0)
        if word in FUNCTIONS and line[m.end() : m.end() + 1] == "(":
            return describe_function(word), m.start(), m.end()
        if (word in QUANTIFIER_WORDS or word == "player") and _QUANTIFIER_OPEN.search(line[: m.start()]):
            return describe_word(word), m.start(), m.end()
        return None
    return None


_SHOWN = 8  # scenes listed by name before "and N more"


def describe(project: Project, kind: str, name: str) -> str:
    if kind == "function" and name in FUNCTIONS:
        return describe_function(name)
    if kind == "keyword" and (name in QUANTIFIER_WORDS or name == "player"):
        return describe_word(name)
    if kind == "place":
        return f"**area** `{name}`: the locations whose area is {name}"
    defs = project.definitions(kind, name)
    head = f"**{kind}** `{name}`"
    if not defs:
        return f"{head}: not defined anywhere in the story"
    d = defs[0]
    where = f"{os.path.relpath(d.path, project.root)}:{d.span.line + 1}"
    if kind == "scene":
        location = d.info[0] if d.info else ""
        place = project.definitions("location", location)
        at = f"{place[0].detail} (`{location}`)" if place else f"`{location}`" if location else "nowhere"
        text = "\n".join(f"> {line}" for line in d.info[1:])
        ways_in = sum(1 for u in project.uses("scene", name) if u.role != "rename")
        return f"{head} at {at}, {where}\n\n{text}\n\n{ways_in} way{'s' * (ways_in != 1)} in"
    if kind in ("flag", "counter"):
        uses = list(project.uses(kind, name))
        about = d.detail or "(no description)"
        extra = f" ({d.info[0]})" if d.info else ""
        return (
            f"{head}: {about}{extra}\n\n"
            f"{'set' if kind == 'flag' else 'changed'} in: {_scenes(uses, 'write')}\n\n"
            f"read in: {_scenes(uses, 'read')}\n\n{where}"
        )
    if kind == "fate-set":
        users = list(dict.fromkeys(u.scene for u in project.uses(kind, name)))
        shown = ", ".join(f"`{n}`" for n in users[:_SHOWN]) or "no ending"
        more = f" and {len(users) - _SHOWN} more" if len(users) > _SHOWN else ""
        return f"{head}: {d.detail}\n\nused by: {shown}{more}\n\n{where}"
    return f"{head}: {d.detail}\n\n{where}"


def _scenes(uses: list[Use], role: str) -> str:
    names = list(dict.fromkeys(u.scene or "?" for u in uses if u.role == role))
    if not names:
        return "nowhere"
    shown = ", ".join(f"`{n}`" for n in names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")
