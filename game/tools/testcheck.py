"""What `hyosan check` says about a story's tests (`DIR/tests/*.yaml`): problems reading
them, and every id a test names that the story does not have, each with its position.
Static: the tests are not run (`hyosan test` does that)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..engine.diagnostics import Diagnostic, did_you_mean, rule_code
from ..engine.model import PLAYER, Story
from .storytest import read_all


def check_tests(story: Story, story_dir: Path, display_root: str | None = None) -> list[Diagnostic]:
    tests, problems, _ = read_all(story_dir, display_root)
    out = [Diagnostic(p.path, p.line, 1, "error", p.message, rule_code("error", p.message)) for p in problems]
    choices_known = {c.id for scene in story.scenes.values() for c in scene.choices}
    choices_known.update(cid for _, cid in (key.split("/", 1) for key in story.choice_renames) if cid)
    tables: dict[str, Iterable[str]] = {
        "choice": choices_known,
        "scene": story.scenes,
        "ending": [sid for sid, scene in story.scenes.items() if scene.ending is not None],
        "member": [PLAYER, *story.cast],
        "item": story.items,
        "flag": story.flags,
        "counter": story.counters,
    }
    words = {"member": "cast member", "ending": "ending"}
    names = {t.name for t in tests}
    for test in tests:
        for kind, name, line, col in test.refs:
            known = tables[kind]
            if name in known:
                continue
            what = words.get(kind, kind)
            if kind == "ending" and name in story.scenes:
                message = f"scene {name!r} is not an ending (use `scene:` to expect a scene mid-run)"
                code = "E-NOT-AN-ENDING"
            else:
                message = f"unknown {what} {name!r} in test {test.name!r}" + did_you_mean(name, known)
                code = "E-UNKNOWN-" + ("SCENE" if kind == "ending" else kind.upper())
            out.append(Diagnostic(test.path, line, col, "error", message, code))
        if test.start is not None:
            kind, value, line, col = test.start
            if kind == "from" and value not in names:
                message = f"from: no test is named {value!r}" + did_you_mean(value, names)
                out.append(Diagnostic(test.path, line, col, "error", message, "E-TEST-CHECKPOINT"))
            if kind == "save":
                path = Path(value) if Path(value).is_absolute() else story_dir / "tests" / value
                if not path.is_file():
                    message = f"save: no save file {value} (looked in {path.parent})"
                    out.append(Diagnostic(test.path, line, col, "error", message, "E-TEST-CHECKPOINT"))
    return out
