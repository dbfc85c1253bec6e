"""`rules.apply_effect` finds each effect's rule in a table by type: every class of
`effects.Effect` must have one (mypy's exhaustive `match` used to say so)."""

from __future__ import annotations

import typing

from game.engine import effects, rules


def test_every_effect_class_has_its_rule() -> None:
    classes = set(typing.get_args(effects.Effect))
    assert len(classes) == 19
    assert set(rules._APPLY) == classes
