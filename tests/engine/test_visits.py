"""`Visits`: an immutable count of scene visits that bumps without copying every count."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from game.engine.visits import Visits


@given(st.lists(st.sampled_from([f"s{i}" for i in range(40)]), max_size=400))
def test_bumping_counts_like_a_dict_and_leaves_the_old_value_alone(scenes: list[str]) -> None:
    plain: dict[str, int] = {}
    v = Visits()
    history = [(v, dict(plain))]
    for sid in scenes:
        plain[sid] = plain.get(sid, 0) + 1
        v = v.bumped(sid)
        history.append((v, dict(plain)))
    for value, expected in history:  # every earlier Visits still holds its own counts
        assert value == expected and dict(value) == expected
        assert list(value) == list(expected)  # first-visit order, like a dict
        assert len(value) == len(expected)
        assert all(value.get(k) == n and value[k] == n and k in value for k, n in expected.items())
        assert value.get("nowhere", 0) == 0 and "nowhere" not in value
        counts = value.counts()  # a new plain dict, in the same order
        assert type(counts) is dict and list(counts.items()) == list(expected.items())
        counts["nowhere"] = 1
        assert "nowhere" not in value


def test_wraps_a_dict_and_survives_pickling() -> None:
    v = Visits.of({"a": 2}).bumped("b").bumped("a")
    assert Visits.of(v) is v
    assert pickle.loads(pickle.dumps(v)) == {"a": 3, "b": 1}
    assert {"a": 3, "b": 1} == v
