"""Tools for story writers: graph, simulate, explore, story tests and the schema.

Pure Python over the engine's public API (no Textual, no Rich); the command modules in
`game.commands` print what these return.
"""
