"""Each member's pronouns, read through one function.

REPLACE when the manifest's `pronouns:` field lands (the engine v2 branch): read it from
the story's cast and drop the table. Until then the table is the cast list of
/work/shared/STORY-BIBLE.md, and a member it does not know has no known pronouns (the
pronoun rule then says nothing about them).
"""

from __future__ import annotations

from ...engine.model import Story

# from the story bible's cast table (ids are the bundled story's)
_BIBLE = {
    "on-jo": "she",
    "cheong-san": "he",
    "su-hyeok": "he",
    "nam-ra": "she",
    "dae-su": "he",
    "mi-jin": "she",
    "ha-ri": "she",
    "wu-jin": "he",
    "hyo-ryeong": "she",
    "i-sak": "he",
    "gyeong-su": "he",
    "joon-seong": "he",
    "ji-min": "she",
    "min-jae": "he",
    "na-yeon": "she",
}


def pronouns_of(story: Story, member_id: str) -> str | None:
    """ "he", "she", "they", or None when unknown."""
    member = story.cast.get(member_id)
    declared = getattr(member, "pronouns", None) if member is not None else None
    if isinstance(declared, str) and declared:
        return declared.split("/")[0].strip().lower()
    return _BIBLE.get(member_id)
