"""The continuity checker: what a reader sees, against the state the reader is in.

`sources` maps text back to YAML positions and `quiet:`; `prose` reads rendered English;
`rules` looks at one state of a run; `collect` plays the runs on all cores; `report`
turns what they saw into findings with witness saves. See docs/continuity.md.
"""

from .base import RULES

__all__ = ["RULES"]
