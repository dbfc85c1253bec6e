"""`hyosan lsp`: a language server for story files (needs the `lsp` extra: pygls).

`index.py` is the one module that talks to the engine (the loader, the YAML reader, the
condition language); `walk.py` turns one parsed file into definitions and uses with exact
positions; `project.py` keeps the index of a whole story up to date file by file;
`complete.py` and `edits.py` answer completion and rename from that index; `worker.py` runs
the real checker in a separate process; `server.py` wires it all to pygls. Only
`server.py` imports pygls, so the rest is tested and typed without it.
"""
