"""Each member's pronouns, as the story declares them (`pronouns:` in the cast; the
engine's default is they)."""

from __future__ import annotations

from ...engine.model import Story


def pronouns_of(story: Story, member_id: str) -> str | None:
    """The member's subject pronoun, lower case: "he", "she", "they", or another
    declared word; None for an unknown member."""
    if member_id not in story.cast:
        return None
    return story.pronouns_of(member_id).they.lower()
