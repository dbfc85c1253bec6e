"""A run's `Steps`: O(1) append shared between runs, cached save lines, tuple equality."""

from __future__ import annotations

import json

from game.engine.saves.steps import Step, Steps


def test_appending_shares_and_branching_copies() -> None:
    a = Steps().appended(Step("s", "c0", "Go")).appended(Step("t", "c1", "On"))
    b = a.appended(Step("u", "c2", "Up"))
    c = a.appended(Step("u", "c3", "Down"))  # a branch from `a`: `b` must not change
    assert [s.choice for s in a] == ["c0", "c1"]
    assert [s.choice for s in b] == ["c0", "c1", "c2"]
    assert [s.choice for s in c] == ["c0", "c1", "c3"]
    assert b[-1].choice == "c2" and c[2].choice == "c3" and b[:2] == a == tuple(a)
    assert Steps() == () and a != b


def test_lines_are_each_steps_json_and_follow_branches() -> None:
    a = Steps([Step("s", "c0", "Gö"), Step("t", "c1", "On", 1)])
    assert a.lines() == [json.dumps(s.to_dict(), ensure_ascii=False) for s in a]
    b = a.appended(Step("u", "c2", "Up"))
    c = a.appended(Step("u", "c3", "Down"))
    assert [json.loads(x)["choice"] for x in b.lines()] == ["c0", "c1", "c2"]
    assert [json.loads(x)["choice"] for x in c.lines()] == ["c0", "c1", "c3"]
    assert [json.loads(x)["choice"] for x in a.lines()] == ["c0", "c1"]


def test_the_kept_block_is_the_joined_lines_for_every_run_sharing_it() -> None:
    def joined(s: Steps) -> str:
        return "    " + ",\n    ".join(s.lines())

    a = Steps([Step("s", "c0", "Go")])
    b = a.appended(Step("t", "c1", "On"))
    assert b.block() == joined(b)
    c = b.appended(Step("u", "c2", "Up")).appended(Step("v", "c3", "In"))
    assert c.block() == joined(c)  # extends the kept block
    assert a.block() == joined(a) and b.block() == joined(b)  # shorter runs: not the kept one
    d = b.appended(Step("u", "c9", "Down"))  # a branch keeps its own
    assert d.block() == joined(d) and c.block() == joined(c)


def test_pieces_are_the_block_across_whole_chunks_and_branches() -> None:
    """Past `_CHUNK` steps the save text comes in shared encoded pieces: a run, a longer
    run sharing its list and a branch from inside a whole chunk (after an undo) all
    write exactly the text of their own lines."""
    from game.engine.saves import steps as steps_module

    def joined(s: Steps) -> bytes:
        return ("    " + ",\n    ".join(s.lines())).encode("utf-8")

    size = steps_module._CHUNK
    a = Steps()
    mid = a
    for i in range(2 * size + 3):
        a = a.appended(Step(f"s{i}", f"c{i}", f"Gö {i}", i % 3 or None))
        if len(a) == size + 10:
            mid = a  # shares a's list
    assert b"".join(a.pieces()) == joined(a)
    assert len(a.pieces()) == 1 + 3 + 2  # indent, chunk, separator, chunk, separator, the rest
    assert b"".join(mid.pieces()) == joined(mid)  # a shorter run sharing the chunks
    longer = a
    for i in range(size):
        longer = longer.appended(Step("t", f"d{i}", "On"))
    assert b"".join(longer.pieces()) == joined(longer) and b"".join(a.pieces()) == joined(a)
    branch = mid.appended(Step("u", "x", "Up"))  # copies: mid is not the list's longest
    assert [s.choice for s in branch][-2:] == [f"c{size + 9}", "x"]
    for s in (branch, mid, a, longer):
        assert b"".join(s.pieces()) == joined(s)
    assert b"".join(Steps().pieces()) == b""
