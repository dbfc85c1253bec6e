"""Hover text (Markdown) for a name: what it is, where it is defined, who uses it."""

from __future__ import annotations

import os

from .project import Project
from .walk import Use

_SHOWN = 8  # scenes listed by name before "and N more"


def describe(project: Project, kind: str, name: str) -> str:
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
