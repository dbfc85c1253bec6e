"""The Textual front end: a thin layer over game.engine."""
