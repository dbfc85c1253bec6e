"""Story tests: YAML files beside a story (`DIR/tests/*.yaml`) that replay a seed and a
list of choice ids and check where the run ends up.

```yaml
tests:
  - name: the door holds
    seed: 3
    player: Han Ye-jin          # optional
    choices: [barricade-door, look-outside]
    expect:
      scene: a1-corridor        # or ending: <scene id of the ending>
      members: {on-jo: healthy, nam-ra: hambie}
      items: {arrows: 3}
      flags: {teacher-notes: true}
      counters: {trust: 4}
```

A test can start where another one ends, so a branch test need not copy a long prefix:
`from: <name of another test in DIR/tests>` replays that test's choices first (its seed
and player too; its expectations are that test's business), and `save: FILE` (relative
to the test file) starts from where a saved run stands, with the save's seed.

A failure reads `file:line: test 'name': step N: what` followed by the difference.
`testcheck.check_tests` is what `hyosan check` adds: every id a test names must exist.

(A little over 400 lines: reading a test, running it and finding where it starts are one
format's rules, read together; the writing side is `testwrite.py`.)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..engine.model import STATUSES, Story
from ..engine.rules import ChoiceError, choices, choose, is_ended, new_game
from ..engine.state import GameState

TEST_FIELDS = ("name", "seed", "player", "from", "save", "choices", "expect")
EXPECT_FIELDS = ("scene", "ending", "visited", "members", "items", "flags", "counters")

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader
_CONSTRUCTOR = yaml.SafeLoader("")  # turns one scalar node into its value


@dataclass
class StoryTest:
    path: str
    line: int
    name: str
    seed: int
    player: str | None
    choices: list[tuple[str, int]]  # choice id, line
    expect: dict[str, tuple[Any, int]]  # field -> (value, line)
    start: tuple[str, str, int, int] | None = None  # ("from" | "save", value, line, col)
    refs: list[tuple[str, str, int, int]] = field(default_factory=list)  # kind, id, line, col


@dataclass
class Failure:
    path: str
    line: int
    test: str
    message: str
    detail: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        head = (
            f"{self.path}:{self.line}: test {self.test!r}: {self.message}"
            if self.test
            else (f"{self.path}:{self.line}: {self.message}")
        )
        return "\n".join([head, *("    " + d for d in self.detail)])


@dataclass
class Outcome:
    passed: list[StoryTest] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


# -- reading test files ---------------------------------------------------------------


def _plain(node: yaml.Node) -> Any:
    """A composed node to Python values (no tags, no anchors: a test is plain data)."""
    if isinstance(node, yaml.MappingNode):
        return {_plain(k): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    return _CONSTRUCTOR.construct_object(node, deep=True)


def _scalar(node: yaml.Node) -> Any:
    return _plain(node)


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _col(node: yaml.Node) -> int:
    return int(node.start_mark.column) + 1


def read_tests(path: Path, display: str) -> tuple[list[StoryTest], list[Failure]]:
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=_Loader)
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Failure(display, 1, "", f"cannot read the file: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 1
        return [], [Failure(display, line, "", f"not valid YAML: {getattr(exc, 'problem', exc)}")]
    if root is None:
        return [], []
    problems: list[Failure] = []
    if not isinstance(root, yaml.MappingNode):
        return [], [Failure(display, _line(root), "", "a test file is a mapping with `tests:`")]
    entries = None
    for key, value in root.value:
        if _scalar(key) == "tests":
            entries = value
        else:
            problems.append(
                Failure(display, _line(key), "", f"unknown field {_scalar(key)!r} (only `tests:`)")
            )
    if entries is None:
        return [], [*problems, Failure(display, _line(root), "", "no `tests:` list")]
    if not isinstance(entries, yaml.SequenceNode):
        return [], [*problems, Failure(display, _line(entries), "", "`tests:` must be a list")]
    tests: list[StoryTest] = []
    for i, entry in enumerate(entries.value):
        test = _read_test(entry, display, i, problems)
        if test is not None:
            tests.append(test)
    return tests, problems


def _read_test(node: yaml.Node, display: str, i: int, problems: list[Failure]) -> StoryTest | None:
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        problems.append(Failure(display, line, "", f"test #{i + 1} must be a mapping"))
        return None
    fields = {str(_scalar(k)): (k, v) for k, v in node.value}
    name = str(_scalar(fields["name"][1])) if "name" in fields else f"#{i + 1}"
    bad = False

    def problem(at: yaml.Node, message: str) -> None:
        nonlocal bad
        bad = True
        problems.append(Failure(display, _line(at), name, message))

    for key, (knode, _) in fields.items():
        if key not in TEST_FIELDS:
            problem(knode, f"unknown field {key!r} (fields: {', '.join(TEST_FIELDS)})")
    seed = 0
    start: tuple[str, str, int, int] | None = None
    refs: list[tuple[str, str, int, int]] = []
    for kind in ("from", "save"):
        if kind in fields:
            vnode = fields[kind][1]
            value = _scalar(vnode)
            if not isinstance(value, str) or not value:
                problem(vnode, f"{kind}: must be " + ("a test's name" if kind == "from" else "a save file"))
            elif start is not None:
                problem(fields[kind][0], "from: a test starts from another test or from a save, not both")
            else:
                start = (kind, value, _line(vnode), _col(vnode))
    if "seed" in fields:
        raw = _scalar(fields["seed"][1])
        if isinstance(raw, bool) or not isinstance(raw, int):
            problem(fields["seed"][1], "seed must be a whole number")
        elif start is not None:
            problem(
                fields["seed"][0],
                "from: a test that starts from another test or a save takes its seed from there",
            )
        else:
            seed = raw
    elif start is None:
        problem(node, "missing field 'seed'")
    player = None
    if "player" in fields:
        player = str(_scalar(fields["player"][1]))
    steps: list[tuple[str, int]] = []
    if "choices" in fields:
        cnode = fields["choices"][1]
        if not isinstance(cnode, yaml.SequenceNode):
            problem(cnode, "choices must be a list of choice ids")
        else:
            for item in cnode.value:
                value = _scalar(item)
                if not isinstance(value, str):
                    problem(item, f"a choice id must be text, got {value!r}")
                else:
                    steps.append((value, _line(item)))
                    refs.append(("choice", value, _line(item), _col(item)))
    expect: dict[str, tuple[Any, int]] = {}
    if "expect" in fields:
        enode = fields["expect"][1]
        if not isinstance(enode, yaml.MappingNode):
            problem(enode, "expect must be a mapping")
        else:
            for k, v in enode.value:
                key = str(_scalar(k))
                if key not in EXPECT_FIELDS:
                    problem(k, f"unknown expectation {key!r} (one of: {', '.join(EXPECT_FIELDS)})")
                    continue
                value = _plain(v)
                if key in ("members", "items", "flags", "counters") and not isinstance(value, dict):
                    problem(v, f"expect.{key} must be a mapping")
                    continue
                if key == "visited" and not (
                    isinstance(v, yaml.SequenceNode) and all(isinstance(x, str) for x in value)
                ):
                    problem(v, "expect.visited must be a list of scene ids")
                    continue
                expect[key] = (value, _line(v))
                if key in ("scene", "ending"):
                    refs.append((key, str(value), _line(v), _col(v)))
                elif key == "visited":
                    refs.extend(("scene", str(_scalar(x)), _line(x), _col(x)) for x in v.value)
                elif isinstance(v, yaml.MappingNode):
                    kind = {"members": "member", "items": "item", "flags": "flag", "counters": "counter"}[key]
                    refs.extend((kind, str(_scalar(k2)), _line(k2), _col(k2)) for k2, _ in v.value)
    if bad:
        return None
    return StoryTest(display, line, name, seed, player, steps, expect, start, refs)


# -- running ------------------------------------------------------------------------


def run_test(story: Story, test: StoryTest, start: GameState | None = None) -> Failure | None:
    """Play the test's choices from a new game (or from `start`, its checkpoint) and
    compare the end with its expectations."""
    state = _play(story, test, start)
    if isinstance(state, Failure):
        return state
    diffs: list[tuple[int, str]] = []
    n = len(test.choices)
    for key, (value, line) in test.expect.items():
        diffs.extend((line, d) for d in differences(story, state, key, value))
    if diffs:
        first = min(line for line, _ in diffs)
        return Failure(
            test.path,
            first,
            test.name,
            f"step {n}: after the last choice, {len(diffs)} expectation{'s' * (len(diffs) != 1)} failed",
            [d for _, d in diffs],
        )
    return None


def _play(story: Story, test: StoryTest, start: GameState | None) -> GameState | Failure:
    state = start if start is not None else new_game(story, seed=test.seed, player_name=test.player)
    for n, (cid, line) in enumerate(test.choices, start=1):
        views = choices(story, state)
        if is_ended(story, state):
            return Failure(
                test.path,
                line,
                test.name,
                f"step {n}: the run already ended in {state.scene!r}",
                [f"choice {cid!r} was never taken"],
            )
        try:
            state, _ = choose(story, state, cid)
        except ChoiceError as exc:
            detail = [f"in scene {state.scene!r}: {exc}"]
            offered = [v.id for v in views if v.available]
            locked = [f"{v.id} (locked: {v.reason})" for v in views if not v.available]
            detail.append("available: " + (", ".join(offered) or "nothing"))
            if locked:
                detail.append("locked: " + ", ".join(locked))
            return Failure(test.path, line, test.name, f"step {n}: cannot take {cid!r}", detail)
    return state


def differences(story: Story, state: GameState, key: str, value: Any) -> Iterable[str]:
    """What in `state` disagrees with one expectation (nothing when it holds)."""
    if key == "scene":
        if state.scene != value:
            yield f"scene: expected {value!r}, got {state.scene!r}"
    elif key == "ending":
        if not is_ended(story, state):
            yield f"ending: expected {value!r}, but the run is still going in {state.scene!r}"
        elif state.scene != value:
            yield f"ending: expected {value!r}, got {state.scene!r}"
    elif key == "visited":
        for sid in value:
            if sid not in state.visits:
                yield f"visited: expected the run to have entered {sid!r}; it never did"
    elif key == "members":
        for mid, status in value.items():
            member = state.members.get(str(mid))
            if member is None:
                yield f"members: {mid!r} is not a cast member (or `player`)"
            elif status not in STATUSES:
                yield f"members: {mid}: {status!r} is not a status ({', '.join(STATUSES)})"
            elif member.status() != status:
                yield f"members: {mid}: expected {status}, got {member.status()}"
    elif key == "items":
        for item, count in value.items():
            got = state.inventory.get(str(item), 0)
            if got != count:
                yield f"items: {item}: expected {count}, got {got}"
    elif key == "flags":
        for flag, want in value.items():
            got = str(flag) in state.flags
            if got != bool(want):
                words = {True: "set", False: "not set"}
                yield f"flags: {flag}: expected {words[bool(want)]}, got {words[got]}"
    elif key == "counters":
        for counter, want in value.items():
            got = state.counters.get(str(counter), 0)
            if got != want:
                yield f"counters: {counter}: expected {want}, got {got}"


def test_files(story_dir: Path) -> list[Path]:
    folder = story_dir / "tests"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def read_all(story_dir: Path, display_root: str | None = None) -> tuple[list[StoryTest], list[Failure], int]:
    """Every test in `story_dir/tests`, the problems reading them, and how many files."""
    root = display_root if display_root is not None else os.fspath(story_dir)
    tests: list[StoryTest] = []
    problems: list[Failure] = []
    files = test_files(story_dir)
    for path in files:
        found, bad = read_tests(path, os.path.join(root, "tests", path.name))
        tests.extend(found)
        problems.extend(bad)
    return tests, problems, len(files)


class Checkpoints:
    """Where each test starts: a new game, the end of another test, or a save."""

    def __init__(self, story: Story, tests: list[StoryTest], story_dir: Path) -> None:
        self.story = story
        self.story_dir = story_dir
        self.by_name: dict[str, StoryTest] = {}
        for test in tests:
            self.by_name.setdefault(test.name, test)
        self.ends: dict[str, GameState | Failure] = {}
        self.busy: set[str] = set()

    def start(self, test: StoryTest) -> GameState | Failure | None:
        if test.start is None:
            return None
        kind, value, line, _ = test.start
        if kind == "save":
            return self._from_save(test, value, line)
        other = self.by_name.get(value)
        if other is None:
            return Failure(test.path, line, test.name, f"from: no test is named {value!r}")
        end = self.end(other)
        if isinstance(end, Failure):
            return Failure(test.path, line, test.name, f"from: {value!r} does not get to its end", [str(end)])
        return end

    def end(self, test: StoryTest) -> GameState | Failure:
        """Where the test's choices leave the run (not checking its expectations)."""
        known = self.ends.get(test.name)
        if known is not None:
            return known
        if test.name in self.busy:
            return Failure(
                test.path, test.line, test.name, "from: the tests start from each other in a circle"
            )
        self.busy.add(test.name)
        try:
            start = self.start(test)
            result = start if isinstance(start, Failure) else _play(self.story, test, start)
        finally:
            self.busy.discard(test.name)
        self.ends[test.name] = result
        return result

    def _from_save(self, test: StoryTest, value: str, line: int) -> GameState | Failure:
        from ..engine.saves import SaveError, load_run, replay

        path = Path(value)
        if not path.is_absolute():
            path = self.story_dir / "tests" / path
        try:
            run = load_run(path)
        except SaveError as exc:
            return Failure(test.path, line, test.name, f"save: {exc}")
        replayed = replay(self.story, run)
        if len(replayed.states) != len(run.steps) + 1:
            return Failure(
                test.path, line, test.name, f"save: {value} does not fit this story: {replayed.divergence}"
            )
        return replayed.final


def run_all(story: Story, story_dir: Path, display_root: str | None = None) -> Outcome:
    outcome = Outcome()
    tests, problems, outcome.files = read_all(story_dir, display_root)
    outcome.failures.extend(problems)
    checkpoints = Checkpoints(story, tests, story_dir)
    for test in tests:
        start = checkpoints.start(test)
        failure = start if isinstance(start, Failure) else run_test(story, test, start)
        if failure is None:
            outcome.passed.append(test)
        else:
            outcome.failures.append(failure)
    return outcome
