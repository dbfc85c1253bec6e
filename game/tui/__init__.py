"""The Textual front end: a thin layer over game.engine."""

# The smallest terminal the game is drawn in. Below it at start, `hyosan play` and
# `hyosan replay` say so and exit; a terminal shrunk below it mid-run shows a notice
# until it grows again (the run is autosaved; nothing is lost).
MIN_WIDTH, MIN_HEIGHT = 60, 16
