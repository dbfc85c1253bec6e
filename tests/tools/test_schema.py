from __future__ import annotations

import json
import re
import subprocess
import sys

from game.engine.loader import (
    CHOICE_FIELDS,
    EFFECTS,
    ENDING_FIELDS,
    EVENT_FIELDS,
    FATE_LINE_FIELDS,
    MANIFEST_FIELDS,
    SCENE_FIELDS,
    SCENE_FILE_FIELDS,
)
from game.tools import schema
from tests.conftest import FIXTURES, REPO


def test_committed_schema_is_current() -> None:
    assert (REPO / "docs" / "story.schema.json").read_text(encoding="utf-8") == schema.dumps()


def test_schema_knows_every_manifest_field_and_effect() -> None:
    built = schema.build()
    defs = built["$defs"]
    assert set(defs["manifest"]["properties"]) == set(MANIFEST_FIELDS)
    scene = defs["sceneFile"]["properties"]["scenes"]["items"]["properties"]
    assert set(scene) == set(SCENE_FIELDS)
    assert set(scene["choices"]["items"]["properties"]) == set(CHOICE_FIELDS)
    assert set(defs["sceneFile"]["properties"]["events"]["items"]["properties"]) == set(EVENT_FIELDS)
    assert set(defs["sceneFile"]["properties"]) == set(SCENE_FILE_FIELDS)
    assert set(scene["ending"]["properties"]) == set(ENDING_FIELDS)
    line = scene["ending"]["properties"]["fates"]["additionalProperties"]["anyOf"][1]["items"]["anyOf"][1]
    assert set(line["properties"]) == set(FATE_LINE_FIELDS)
    ops = {next(iter(e["properties"])) for e in defs["effects"]["items"]["anyOf"]}
    assert ops == set(EFFECTS)
    assert json.loads(schema.dumps()) == built


def test_story_format_doc_has_the_generated_effect_table() -> None:
    doc = (REPO / "docs" / "story-format.md").read_text(encoding="utf-8")
    assert schema.docs_with_effects(doc) == doc, "run `python -m game.tools.schema` to regenerate"
    for op in EFFECTS:
        assert f"`{op}:" in doc


def test_story_files_point_to_the_schema() -> None:
    for path in [*(FIXTURES / "flawed").rglob("*.yaml")]:
        if "tests" in path.parts[-2:-1]:
            continue
        head = path.read_text(encoding="utf-8")[:600]
        match = re.search(r"# yaml-language-server: \$schema=(\S+)", head)
        assert match, path
        assert (path.parent / match.group(1)).resolve() == (REPO / "docs" / "story.schema.json").resolve()


def test_cli_check() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "game", "schema", "--check", str(REPO / "docs" / "story.schema.json")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
