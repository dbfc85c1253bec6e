"""The cyclic garbage collector held off while a key or the first screen is drawn.

Python's collector runs whenever enough container objects were made since the last run,
wherever that lands. Handling a key makes thousands (the new scene's lines, strips and
segments), so on a key it ran 0.6 ms of young-generation passes most of the time, 2-4 ms
of middle-generation ones every fifth or sixth key, and a full pass over every live
Textual object (17-36 ms) now and then: the slow keys (issue 15). Starting the app runs
it the same way, ~6 ms before the first frame.

`CollectorHold` switches the collector off when a key (or a mouse button's release: a
click) arrives and when the app starts, and on again once the next frame has gone to the
terminal: the same collections run, right after the frame, while the player reads,
instead of in front of it. Nothing is collected less: the counts that trigger a pass
keep growing while it is off, so the first allocation after the frame runs what is due.

The collector is process-wide: `release` is also called when the app stops (its
message loop's `finally`), so a test process or a crashed app never keeps it off. No
`gc.freeze()` of the app's own objects after the first frame (the usual trick): the
passes it would shorten already run after the frame, and frozen objects in a cycle are
never freed, an app's worth per game in a process that builds many (the test suite)."""

from __future__ import annotations

import gc


class CollectorHold:
    """Holds the collector off (`hold`) until `release`; only what it switched off it
    switches back on (a collector already off stays off)."""

    def __init__(self) -> None:
        self.held = False

    def hold(self) -> None:
        if not self.held and gc.isenabled():
            gc.disable()
            self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            gc.enable()
