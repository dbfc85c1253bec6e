"""Story folder -> `Story`, with a diagnostic for everything wrong, never an exception.

`load_story(path)` reads the manifest and every scene file, validates fields and types,
compiles conditions and templates, and hands the result to `check.check_story` for the
cross-reference and graph checks. A story with errors still comes back (as far as it
could be built) so tools can report everything at once; `LoadResult.ok` says if it runs.
`LoadResult.references` is the index of every definition and use with its position
(see `references.References`), for the checks and for editor tools.

The package follows the seams of the work:

- `reader`: positions, diagnostics and checked field access (the builder's base),
- `text`: conditions, templates and paragraphs,
- `effects`: effects, read through the effect table of `engine.effects`,
- `scenes`: scenes, choices, events and declarations,
- `fates`: endings, their fates and the fate sets they share,
- `manifest`: story.yaml,
- `files`: finding and reading the files,
- `load`: putting it together.
"""

from ..effects import EFFECTS, MEMBER_EFFECTS
from .fates import ENDING_FIELDS
from .load import LoadResult, StoryError, load_or_raise, load_story
from .manifest import MANIFEST_FIELDS
from .references import References, Stats
from .scenes import CHOICE_FIELDS, EVENT_FIELDS, SCENE_FIELDS, SCENE_FILE_FIELDS
from .text import FATE_LINE_FIELDS, QUIET_RULES

__all__ = [
    "CHOICE_FIELDS",
    "EFFECTS",
    "ENDING_FIELDS",
    "EVENT_FIELDS",
    "FATE_LINE_FIELDS",
    "MANIFEST_FIELDS",
    "MEMBER_EFFECTS",
    "QUIET_RULES",
    "SCENE_FIELDS",
    "SCENE_FILE_FIELDS",
    "LoadResult",
    "References",
    "Stats",
    "StoryError",
    "load_or_raise",
    "load_story",
]
