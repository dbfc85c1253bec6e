"""The client fixtures live in client.py (they need pygls); without the `lsp` extra the
end-to-end tests are not collected and only the command's own tests run."""

from __future__ import annotations

import importlib.util

if importlib.util.find_spec("pygls") is None:
    collect_ignore = ["client.py", "test_server.py", "test_continuity.py"]
else:
    from .client import client, story  # noqa: F401 - fixtures
