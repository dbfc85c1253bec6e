"""The JSON Schema of the story format (draft 2020-12, as the YAML language server reads it).

One schema serves both kinds of story file: the manifest (`story.yaml`) and scene files.
It mirrors the loader's field lists (`loader.MANIFEST_FIELDS`, the choice and scene
fields; `tests/tools/test_schema.py` keeps them in step) and builds the effects from the
effect table (`engine.effects.EFFECT_SPECS`), as the effect table of
docs/story-format.md is (`update_docs`, run as `python -m game.tools.schema`). The loader
stays the authority: the schema helps editors complete and flag fields as writers type.
"""

from __future__ import annotations

import json
from typing import Any

from ..engine.effects import CONDITIONAL_DOES, EFFECT_SPECS, EffectSpec
from ..engine.loader import MANIFEST_FIELDS, QUIET_RULES
from ..engine.model import DEFAULT_FATES, HAPPENINGS, STATUSES
from ..engine.quantifiers import WORDS as QUANTIFIER_WORDS
from ..engine.timeofday import CLOCK_MODES

SCHEMA_ID = "https://hyosan.invalid/story.schema.json"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
CLOCK_PATTERN = r"^(\d+d)?\d{1,2}:\d\d$"
PRONOUNS_PATTERN = r"^(she|he|they|she/her|he/him|they/them|[A-Za-z'-]+(/[A-Za-z'-]+){4}(/plural)?)$"


def _obj(props: dict[str, Any], required: tuple[str, ...] = (), about: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    if about:
        out["description"] = about
    return out


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


# what every string of prose may hold (the schema cannot check braces: `hyosan check` does)
WORDS = (
    "text: {on-jo}, {they:who}, {They're:su-hyeok}, walk{s:who}, {died_at:who}, {daypart}; "
    "{seq a | b}, {cycle a | b}, {once a | b}, {shuffle a | b}, {if COND then a | b}"
)


def _text(about: str) -> dict[str, Any]:
    return {"type": "string", "description": f"{about}; {WORDS}"}


def _ids(value: dict[str, Any], about: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": about,
        "propertyNames": _ref("id"),
        "additionalProperties": value,
    }


def _effect(spec: EffectSpec) -> dict[str, Any]:
    effect = _obj({spec.op: spec.arg.schema}, (spec.op,))
    effect["description"] = spec.does
    return effect


def build() -> dict[str, Any]:
    effects = [_effect(spec) for spec in EFFECT_SPECS]
    effects.append(
        _obj(
            {"if": _ref("condition"), "then": _ref("effects"), "else": _ref("effects")},
            ("if",),
            CONDITIONAL_DOES,
        )
    )
    words = {"type": "string", "description": WORDS}
    paragraph = {
        "anyOf": [
            words,
            _obj({"if": _ref("condition"), "text": words, "else": words, "quiet": _ref("quiet")}, ("text",)),
        ]
    }
    modifier = _obj({"if": _ref("condition"), "add": {"type": "number"}}, ("if", "add"))
    requirement = _obj({"if": _ref("condition"), "reason": _text("shown when locked")}, ("if", "reason"))
    outcome = _obj(
        {
            "chance": {"type": "number", "minimum": 0, "description": "base weight"},
            "if": {
                **_ref("condition"),
                "description": "when false, this outcome cannot happen (weight 0): a bite outcome "
                "`if: not is(x, hambie)`",
            },
            "modifiers": {"type": "array", "items": modifier},
            "goto": _ref("id"),
            "return": {"const": True},
            "effects": _ref("effects"),
            "text": _text("shown to the player as what happened"),
        },
        ("chance",),
    )
    choice = _obj(
        {
            "id": _ref("id"),
            "label": _text("the choice as shown"),
            "goto": {**_ref("id"), "description": "the scene this leads to"},
            "roll": {"type": "array", "items": outcome, "minItems": 1, "description": "random outcomes"},
            "return": {"const": True, "description": "back to where an event interrupted"},
            "if": {**_ref("condition"), "description": "false: the choice is not shown"},
            "requires": {
                "description": "false: shown, locked, with the reason",
                "anyOf": [requirement, {"type": "array", "items": requirement}],
            },
            "effects": _ref("effects"),
            "time": {"type": "integer", "minimum": 0, "description": "minutes this takes"},
            "once": {"type": "boolean", "description": "disappears after it is taken"},
            "text": _text("shown as what happened when the choice is taken"),
            "quiet": _ref("quiet"),
        },
        ("id", "label"),
    )
    fate_line = _obj(
        {
            "if": _ref("condition"),
            "text": words,
            "else": words,
            "quiet": _ref("quiet"),
            "case": {
                **_ref("id"),
                "description": "names a fate set's line; in an ending that uses the set, replaces it",
            },
        },
        ("text",),
    )
    fate_text = {"anyOf": [words, {"type": "array", "items": {"anyOf": [words, fate_line]}}]}
    fates = _ids(fate_text, "per-member fate lines")
    ending = _obj(
        {
            "title": {"type": "string"},
            "kind": {**_ref("id"), "description": "a free word; simulate groups by it"},
            "fate_set": {
                "anyOf": [_ref("id"), {"type": "array", "items": _ref("id"), "minItems": 1}],
                "description": "a fate set (fate_sets:), or a list of them, whose lines this ending "
                "shares; its own fates come first and replace the set's lines of the same case",
            },
            "fates": fates,
        },
        ("title", "kind"),
    )
    scene = _obj(
        {
            "id": _ref("id"),
            "location": {**_ref("id"), "description": "a location id from the manifest"},
            "text": _ref("text"),
            "on_enter": _ref("effects"),
            "choices": {"type": "array", "items": choice},
            "ending": ending,
            "clock": {"enum": list(CLOCK_MODES), "description": "what the header shows of the clock"},
            "apart": {
                "type": "boolean",
                "description": "the player is on their own in this scene (a hall pass, a dash alone); "
                "nobody has left the party, but the party panel says they are elsewhere",
            },
            "quiet": _ref("quiet"),
        },
        ("id", "location", "text"),
    )
    event = _obj(
        {
            "id": _ref("id"),
            "on": {"enum": list(HAPPENINGS), "description": "a happening the engine raises"},
            "when": {**_ref("condition"), "description": "fires when this becomes true"},
            "who": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "if": _ref("condition"),
            "scene": _ref("id"),
            "return": {"type": "boolean"},
            "once": {"type": "boolean"},
            "priority": {"type": "integer"},
        },
        ("id", "scene"),
    )
    flags = _ids({"type": "string"}, "flag: description")
    counters = _ids(
        {
            "anyOf": [
                {"type": "null"},
                _obj({"start": {"type": "integer"}, "about": {"type": "string"}}),
            ]
        },
        "counter: {start, about}",
    )
    clock_value = {"anyOf": [{"type": "string", "pattern": CLOCK_PATTERN}, {"type": "integer"}]}
    manifest_props: dict[str, Any] = {
        "format": {"const": 1},
        "title": {"type": "string"},
        "start": {**_ref("id"), "description": "the first scene's id"},
        "baseline_survivors": {"type": "integer", "minimum": 0},
        "player": _obj(
            {"default_name": {"type": "string"}, "traits": _ref("idList"), "pronouns": _ref("pronouns")}
        ),
        "clock": _obj(
            {
                "start": clock_value,
                "step": {"type": "integer", "minimum": 0},
                "date": {"type": "string", "format": "date", "description": "the calendar date of day 1"},
            }
        ),
        "noise": _obj(
            {"max": {"type": "integer", "minimum": 1}, "decay_minutes": {"type": "integer", "minimum": 0}}
        ),
        "infection": _obj(
            {
                "incubation": _obj(
                    {"min": {"type": "integer", "minimum": 0}, "max": {"type": "integer", "minimum": 0}},
                    ("min", "max"),
                ),
                "hambie_chance": {"type": "number", "minimum": 0, "maximum": 1},
                "hambie_modifiers": {"type": "array", "items": modifier},
                "hunger": _obj(
                    {
                        "per_hour": {"type": "number"},
                        "rising": {"type": "integer", "minimum": 0},
                        "crisis": {"type": "integer", "minimum": 1},
                        "after_feed": {"type": "integer", "minimum": 0},
                    }
                ),
            }
        ),
        "cast": _ids(
            _obj(
                {
                    "name": {"type": "string"},
                    "traits": _ref("idList"),
                    "with": {"type": "boolean", "description": "starts in the party"},
                    "hambie": {"type": "number", "description": "added to hambie_chance when they turn"},
                    "incubation": {"type": "number", "description": "multiplies their incubation"},
                    "pronouns": _ref("pronouns"),
                },
                ("name",),
            ),
            "party members by id",
        ),
        "items": _ids(
            _obj({"name": {"type": "string"}, "max": {"type": "integer", "minimum": 1}}, ("name",)), "items"
        ),
        "inventory": {"type": "object", "additionalProperties": {"type": "integer"}},
        "locations": _ids(
            _obj(
                {
                    "name": {"type": "string"},
                    "area": _ref("id"),
                    "map": {
                        "type": "array",
                        "items": {"type": "integer", "minimum": 0},
                        "minItems": 2,
                        "maxItems": 2,
                    },
                    "at": {"type": "string", "description": 'how prose says "there": in the store room'},
                },
                ("name", "area"),
            ),
            "locations by id",
        ),
        "flags": flags,
        "counters": counters,
        "fates": _obj({k: {"type": "string"} for k in DEFAULT_FATES}),
        "events": {"type": "array", "items": event},
        "renames": _obj(
            {
                "scenes": {"type": "object", "additionalProperties": {"type": "string"}},
                "choices": {"type": "object", "additionalProperties": {"type": "string"}},
            }
        ),
    }
    missing = set(MANIFEST_FIELDS) - set(manifest_props)
    if missing:  # pragma: no cover - caught by the schema test
        raise RuntimeError(f"schema lacks manifest fields {sorted(missing)}")
    manifest = _obj(manifest_props, ("title", "start", "cast", "locations"), "the manifest: story.yaml")
    scene_file = _obj(
        {
            "scenes": {"type": "array", "items": scene},
            "events": {"type": "array", "items": event},
            "flags": flags,
            "counters": counters,
            "fate_sets": _ids(fates, "named sets of per-member fate lines, shared by endings (fate_set:)"),
        },
        ("scenes",),
        "a scene file",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Hyosan story file",
        "description": "A story manifest (story.yaml) or a scene file. See docs/story-format.md.",
        "anyOf": [_ref("manifest"), _ref("sceneFile")],
        "$defs": {
            "id": {"type": "string", "pattern": ID_PATTERN, "description": "lower-case words joined by -"},
            "idList": {"type": "array", "items": _ref("id")},
            "condition": {
                "anyOf": [{"type": "string"}, {"type": "boolean"}],
                "description": "a condition, e.g. present(ha-ri) and item(arrows) >= 2; statuses: "
                + ", ".join(STATUSES)
                + "; over the whole cast: anyone(state), count(state) (a number), e.g. "
                "anyone(dead or zombie), count(present and injured) >= 2, anyone(bitten, player); "
                "state words: " + ", ".join(QUANTIFIER_WORDS),
            },
            "text": {"anyOf": [words, {"type": "array", "items": paragraph}]},
            "pronouns": {
                "type": "string",
                "pattern": PRONOUNS_PATTERN,
                "description": "she, he or they; or five words xe/xem/xyr/xyrs/xemself (+ /plural)",
            },
            "effects": {"type": "array", "items": {"anyOf": effects}},
            "quiet": {
                "type": "object",
                "propertyNames": {"enum": list(QUIET_RULES)},
                "additionalProperties": {"type": "string", "minLength": 1},
                "description": "continuity findings silenced here: rule: the reason",
            },
            "manifest": manifest,
            "sceneFile": scene_file,
        },
    }


def dumps() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


DOCS_BEGIN = "<!-- effects: generated from game/engine/effects.py by `python -m game.tools.schema` -->"
DOCS_END = "<!-- /effects -->"


def docs_with_effects(doc: str) -> str:
    """`doc` (docs/story-format.md) with its effect table replaced by the generated one."""
    from ..engine.effects import effects_markdown

    start = doc.index(DOCS_BEGIN) + len(DOCS_BEGIN)
    end = doc.index(DOCS_END, start)
    return doc[:start] + "\n" + effects_markdown() + doc[end:]


def update_docs(path: str) -> bool:
    """Rewrite the effect table in the doc at `path`; True if it changed."""
    with open(path, encoding="utf-8") as fh:
        doc = fh.read()
    new = docs_with_effects(doc)
    if new != doc:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(new)
    return new != doc


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    changed = update_docs(str(root / "docs" / "story-format.md"))
    (root / "docs" / "story.schema.json").write_text(dumps(), encoding="utf-8")
    print("docs/story-format.md " + ("updated" if changed else "unchanged"), file=sys.stderr)
