"""Fate sets: per-member fate lines written once (`fate_sets:`) and shared by endings
(`fate_set:`). The merge's precedence, its positioned errors, and every reader of
`Ending.fates` (the ending screen, the continuity checker's sources) seeing merged lines."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import rules
from game.engine.loader import load_or_raise, load_story
from game.engine.rules import choose, new_game
from game.lsp.complete import context
from game.lsp.project import Project
from game.tools.continuity import sources
from tests.engine.test_loader_properties import mutated
from tests.storybuild import write_story

START = """\
- id: s
  location: room
  text: Start.
  choices:
    - {id: a, label: A, effects: [{set: door}], goto: end-a}
    - {id: b, label: B, goto: end-b}
- {id: end, location: street, text: The end., ending: {title: End, kind: end}}
"""

SETS = """\
fate_sets:
  shared:
    ana:
      - case: here
        if: present(ana)
        text: Ana walked out with you.
      - if: is(ana, dead)
        text: Ana is remembered.
      - Ana's line for everyone.
    bo:
      - case: here
        if: present(bo)
        text: Bo walked out too.
"""

ENDINGS = """\
scenes:
  - id: end-a
    location: street
    text: The end, A.
    ending:
      title: A
      kind: end
      fate_set: shared
      fates:
        ana:
          - Ana's own line, first.
          - case: here
            if: present(ana)
            text: Ana walked out of A, the first one through the gate.
        cy: Cy was never there.
  - id: end-b
    location: street
    text: The end, B.
    ending: {title: B, kind: end, fate_set: shared}
"""


def story_dir(tmp_path: Path, endings: str = ENDINGS, sets: str = SETS) -> Path:
    write_story(tmp_path, START, end_scene=False)
    # the endings' file is read before the sets' file ("a-" < "z-"): order does not matter
    (tmp_path / "a-endings.yaml").write_text(endings)
    (tmp_path / "z-sets.yaml").write_text(sets + "scenes: []\n")
    return tmp_path


def lines(root: Path, scene: str, member: str) -> list[str]:
    story = load_or_raise(root)
    ending = story.scenes[scene].ending
    assert ending is not None
    return [b.text.source for b in ending.fates[member].blocks]


def errors(root: Path) -> list[str]:
    return [str(d) for d in load_story(root).diagnostics if d.severity == "error"]


def test_own_lines_first_then_the_set_with_cases_replaced_in_place(tmp_path: Path) -> None:
    root = story_dir(tmp_path)
    assert lines(root, "end-a", "ana") == [
        "Ana's own line, first.",
        "Ana walked out of A, the first one through the gate.",  # in place of the set's `here`
        "Ana is remembered.",
        "Ana's line for everyone.",
    ]
    assert lines(root, "end-b", "ana") == [
        "Ana walked out with you.",
        "Ana is remembered.",
        "Ana's line for everyone.",
    ]
    assert lines(root, "end-a", "bo") == lines(root, "end-b", "bo") == ["Bo walked out too."]
    assert lines(root, "end-a", "cy") == ["Cy was never there."]  # a member the set does not name


def test_the_ending_screen_shows_the_merged_lines(tmp_path: Path) -> None:
    story = load_or_raise(story_dir(tmp_path))
    state, _ = choose(story, new_game(story, seed=1), "a")
    shown = {f.member: f.line for f in rules.fates(story, state)}
    assert shown["ana"] == (
        "Ana's own line, first.\n\nAna walked out of A, the first one through the gate.\n\nAna's line for everyone."
    )
    assert shown["bo"] == "Bo walked out too."
    state, _ = choose(story, new_game(story, seed=1), "b")
    assert {f.member: f.line for f in rules.fates(story, state)}["ana"] == (
        "Ana walked out with you.\n\nAna's line for everyone."
    )


def test_each_merged_line_points_where_it_was_written(tmp_path: Path) -> None:
    root = story_dir(tmp_path)
    story = load_or_raise(root)
    ending = story.scenes["end-b"].ending
    assert ending is not None
    sets_file = str(root / "z-sets.yaml")
    assert [(p.path, p.line) for p in ending.sources["ana"]] == [
        (sets_file, 6),
        (sets_file, 8),
        (sets_file, 9),
    ]
    src = sources.build(story)
    assert src.where(("fate", "end-a", "ana", 1)).line == 14  # end-a's own `here`, in the endings file
    assert src.where(("fate", "end-a", "ana", 2)) == ending.sources["ana"][1]  # the set's line


def test_quiet_on_a_set_line_silences_it_in_every_ending(tmp_path: Path) -> None:
    sets = SETS.replace(
        "      - Ana's line for everyone.\n",
        "      - text: Ana's line for everyone.\n        quiet: {repeat: the same words end every run}\n",
    )
    story = load_or_raise(story_dir(tmp_path, sets=sets))
    src = sources.build(story)
    assert src.silenced(("fate", "end-b", "ana", 2), "repeat") == "the same words end every run"
    assert src.silenced(("fate", "end-a", "ana", 3), "repeat") == "the same words end every run"
    assert src.silenced(("fate", "end-a", "ana", 0), "repeat") is None


def test_unknown_set_names_its_position_and_the_closest_set(tmp_path: Path) -> None:
    root = story_dir(tmp_path, ENDINGS.replace("fate_set: shared}", "fate_set: shard}"))
    assert errors(root) == [
        f"{root}/a-endings.yaml:19:45: error: unknown fate set 'shard' (did you mean 'shared'?)"
    ]


def test_unknown_member_in_a_set(tmp_path: Path) -> None:
    root = story_dir(tmp_path, sets=SETS.replace("    bo:\n", "    boo:\n"))
    assert errors(root) == [f"{root}/z-sets.yaml:10:5: error: unknown cast member 'boo' (did you mean 'bo'?)"]


def test_a_set_defined_twice_in_one_file(tmp_path: Path) -> None:
    root = story_dir(tmp_path, sets=SETS + "  shared:\n    bo: Bo again.\n")
    assert errors(root) == [
        f"{root}/z-sets.yaml:14:3: error: duplicate key 'shared' (first at line 2, column 3)"
    ]


def test_a_set_defined_in_two_files(tmp_path: Path) -> None:
    root = story_dir(tmp_path)
    (root / "m-more.yaml").write_text("fate_sets:\n  shared:\n    bo: Bo.\nscenes: []\n")
    assert (
        f"{root}/z-sets.yaml:2:3: error: fate set 'shared' is defined twice (first at {root}/m-more.yaml:2:3)"
        in (errors(root))
    )


def test_a_case_the_set_does_not_have(tmp_path: Path) -> None:
    root = story_dir(tmp_path, ENDINGS.replace("- case: here", "- case: hree"))
    assert errors(root) == [
        f"{root}/a-endings.yaml:12:19: error: fate set 'shared' has no line of ana with case 'hree' "
        "(did you mean 'here'?)"
    ]
    root2 = story_dir(
        tmp_path / "2",
        ENDINGS.replace("        ana:\n", "        cy:\n").replace("        cy: Cy", "        bo: Bo"),
    )
    assert any("has no line of cy with case 'here'; it names no case of cy" in e for e in errors(root2))


def test_case_in_an_ending_without_a_set(tmp_path: Path) -> None:
    root = story_dir(
        tmp_path, ENDINGS.replace("      fate_set: shared\n", "").replace(", fate_set: shared}", "}")
    )
    (found,) = [e for e in errors(root)]
    assert found == (
        f"{root}/a-endings.yaml:11:19: error: case: 'here' (fate of ana) names a line of the ending's "
        "fate_set to replace, but this ending has no fate_set"
    )
    assert any("fate set 'shared' is never used" in str(d) for d in load_story(root).warnings)


def test_two_lines_of_one_case(tmp_path: Path) -> None:
    sets = SETS.replace("      - if: is(ana, dead)\n", "      - case: here\n        if: is(ana, dead)\n")
    root = story_dir(tmp_path, sets=sets)
    assert errors(root) == [
        f"{root}/z-sets.yaml:7:15: error: fate set 'shared': ana has two lines with case 'here' (first at line 4)"
    ]
    # an ending may put several lines in the place of one case: they keep its place
    twice = ENDINGS.replace(
        "        cy: Cy was never there.\n",
        "          - {case: here, text: Again.}\n        cy: Cy was never there.\n",
    )
    root = story_dir(tmp_path / "2", twice)
    assert lines(root, "end-a", "ana") == [
        "Ana's own line, first.",
        "Ana walked out of A, the first one through the gate.",
        "Again.",
        "Ana is remembered.",
        "Ana's line for everyone.",
    ]


def test_bad_shapes_are_one_line_errors(tmp_path: Path) -> None:
    root = story_dir(tmp_path, sets="fate_sets: [shared]\n")
    assert any(
        e.endswith("fate_sets must be a mapping of set name: member fates, got a list") for e in errors(root)
    )
    root = story_dir(tmp_path / "2", sets="fate_sets:\n  Shared: {bo: Bo.}\n")
    assert any("fate set name 'Shared' is not an id" in e for e in errors(root))


def test_check_command_reports_and_fails(tmp_path: Path) -> None:
    root = story_dir(tmp_path, ENDINGS.replace("fate_set: shared}", "fate_set: shard}"))
    done = subprocess.run(
        [sys.executable, "-m", "game", "check", str(root)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "a-endings.yaml:19:45: error: unknown fate set 'shard' (did you mean 'shared'?)" in done.stdout
    assert "Traceback" not in done.stderr


def test_the_editor_index_knows_sets_and_their_uses(tmp_path: Path) -> None:
    root = story_dir(tmp_path)
    project = Project(str(root)).build()
    (found,) = project.definitions("fate-set", "shared")
    assert found.path == str(root / "z-sets.yaml") and found.span.line == 1
    uses = list(project.uses("fate-set", "shared"))
    assert sorted((u.span.line, u.scene) for u in uses) == [(7, "end-a"), (18, "end-b")]
    member_uses = {u.name for f in project.files.values() for u in f.uses if u.kind == "member"}
    assert {"ana", "bo", "cy"} <= member_uses
    assert context("      fate_set: sh", [], 0)[:2] == ("fate-set", "sh")


# -- property: the merge, against a model of the rule --------------------------------------

CASES = ("here", "gone", "dead")


@st.composite
def merges(draw: st.DrawFn) -> tuple[list[tuple[str | None, str]], list[tuple[str | None, str]]]:
    """(the set's lines of ana, the ending's own lines of ana): (case or None, text)."""
    set_cases = draw(st.lists(st.sampled_from(CASES), unique=True))
    base: list[tuple[str | None, str]] = [(c, f"set {c}") for c in set_cases]
    for i in range(draw(st.integers(0, 3))):
        base.insert(draw(st.integers(0, len(base))), (None, f"set plain {i}"))
    replaced = draw(st.lists(st.sampled_from(set_cases))) if set_cases else []  # a case may repeat
    own: list[tuple[str | None, str]] = [(c, f"own {c}") for c in replaced]
    for i in range(draw(st.integers(0, 3))):
        own.insert(draw(st.integers(0, len(own))), (None, f"own plain {i}"))
    return base, own


def _yaml_lines(entries: list[tuple[str | None, str]], indent: int) -> str:
    pad = " " * indent
    out = ""
    for case, text in entries:
        out += f"{pad}- {{case: {case}, text: {text}}}\n" if case else f"{pad}- {text}\n"
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(merges())
def test_merge_follows_the_rule(
    tmp_path: Path, case: tuple[list[tuple[str | None, str]], list[tuple[str | None, str]]]
) -> None:
    base, own = case
    sets = "fate_sets:\n  shared:\n    bo: Bo.\n" + ("    ana:\n" + _yaml_lines(base, 6) if base else "")
    endings = textwrap.dedent(
        """\
        scenes:
          - id: end-a
            location: street
            text: The end.
            ending:
              title: A
              kind: end
              fate_set: shared
        """
    ) + ("      fates:\n        ana:\n" + _yaml_lines(own, 10) if own else "")
    endings += "  - {id: end-b, location: street, text: B., ending: {title: B, kind: end}}\n"
    root = story_dir(tmp_path / "p", endings, sets)
    result = load_story(root)
    assert not result.errors, result.errors
    assert result.story is not None
    ending = result.story.scenes["end-a"].ending
    assert ending is not None
    expected = [t for c, t in own if c is None]
    for c, t in base:
        expected += [ot for oc, ot in own if oc == c] if c and any(oc == c for oc, _ in own) else [t]
    got = [b.text.source for b in ending.fates["ana"].blocks] if "ana" in ending.fates else []
    assert got == expected
    assert len(ending.sources.get("ana", ())) == len(got)


MORE = """\
  more:
    ana:
      - case: late
        text: Ana's line from the second set.
    cy: Cy, from the second set.
"""


def test_a_list_of_sets_takes_their_lines_in_order(tmp_path: Path) -> None:
    endings = ENDINGS.replace("fate_set: shared}", "fate_set: [shared, more]}")
    root = story_dir(tmp_path, endings, SETS + MORE)
    assert lines(root, "end-b", "ana") == [
        "Ana walked out with you.",
        "Ana is remembered.",
        "Ana's line for everyone.",
        "Ana's line from the second set.",
    ]
    assert lines(root, "end-b", "cy") == ["Cy, from the second set."]
    project = Project(str(root)).build()
    assert len(list(project.uses("fate-set", "more"))) == 1
    assert context("    ending: {fate_set: [shared, mo", [], 0)[:2] == ("fate-set", "mo")


def test_a_list_of_sets_errors(tmp_path: Path) -> None:
    clash = SETS + MORE.replace("case: late", "case: here")
    endings = ENDINGS.replace("fate_set: shared}", "fate_set: [shared, more]}")
    root = story_dir(tmp_path, endings, clash)
    assert errors(root) == [
        f"{root}/z-sets.yaml:16:15: error: case 'here' of ana is in both fate sets 'shared' and 'more', "
        "which one ending uses"
    ]
    root = story_dir(
        tmp_path / "2", ENDINGS.replace("fate_set: shared}", "fate_set: [shared, mroe]}"), SETS + MORE
    )
    assert errors(root) == [
        f"{root}/a-endings.yaml:19:54: error: unknown fate set 'mroe' (did you mean 'more'?)"
    ]
    root = story_dir(tmp_path / "3", ENDINGS.replace("fate_set: shared}", "fate_set: [shared, shared]}"))
    assert errors(root) == [
        f"{root}/a-endings.yaml:19:54: error: the ending of 'end-b' names fate set 'shared' twice"
    ]


def test_stats_count_a_set_line_once(tmp_path: Path) -> None:
    from game.tools.stats import sources as text_sources

    story = load_or_raise(story_dir(tmp_path))
    written = list(text_sources(story))
    assert written.count("Ana's line for everyone.") == 1  # in the set; both endings show it
    assert written.count("Bo walked out too.") == 1
    assert written.count("Ana walked out of A, the first one through the gate.") == 1


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(SETS + "scenes: []\n"), mutated(ENDINGS))
def test_mutated_fate_sets_and_endings_give_only_diagnostics(sets: str, endings: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_story(root, START, end_scene=False)
        (root / "a-endings.yaml").write_text(endings, encoding="utf-8", errors="surrogateescape")
        (root / "z-sets.yaml").write_text(sets, encoding="utf-8", errors="surrogateescape")
        for d in load_story(root).diagnostics:
            assert d.severity in ("error", "warning") and d.line >= 1 and d.col >= 1
