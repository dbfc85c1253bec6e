"""A real LSP client (pygls's own) talking to `python -m game lsp` over stdio, and a
small two-file story to point it at. Import it only after `pytest.importorskip("pygls")`."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from lsprotocol import types as t
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from .story import write_story


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return write_story(tmp_path)


class Client(LanguageClient):
    """pygls's client, remembering the diagnostics the server publishes."""

    def __init__(self) -> None:
        super().__init__("hyosan-tests", "1")
        self.diagnostics: dict[str, list[t.Diagnostic]] = {}
        self.published = asyncio.Condition()

        @self.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def on_diagnostics(_: object, params: t.PublishDiagnosticsParams) -> None:
            async with self.published:
                self.diagnostics[params.uri] = list(params.diagnostics)
                self.published.notify_all()

    async def wait_for(self, uri: str, check: object = None, timeout: float = 20) -> list[t.Diagnostic]:
        """The diagnostics for `uri`, once some arrive for which `check(diags)` holds."""

        def ready() -> bool:
            found = self.diagnostics.get(uri)
            return found is not None and (check is None or bool(check(found)))  # type: ignore[operator]

        async with self.published:
            await asyncio.wait_for(self.published.wait_for(ready), timeout)
        return self.diagnostics[uri]

    def open(self, path: Path, text: str | None = None) -> str:
        uri = from_fs_path(str(path))
        assert uri is not None
        self.text_document_did_open(
            t.DidOpenTextDocumentParams(
                t.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text or path.read_text())
            )
        )
        return uri

    def replace(self, uri: str, version: int, text: str) -> None:
        self.text_document_did_change(
            t.DidChangeTextDocumentParams(
                t.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [t.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )


@pytest.fixture
async def client(story: Path) -> AsyncIterator[Client]:
    c = Client()
    await c.start_io(sys.executable, "-m", "game", "lsp", cwd=str(story.parent))
    await c.initialize_async(
        t.InitializeParams(
            capabilities=t.ClientCapabilities(),
            root_uri=from_fs_path(str(story)),
            workspace_folders=[t.WorkspaceFolder(uri=from_fs_path(str(story)) or "", name="two")],
        )
    )
    c.initialized(t.InitializedParams())
    yield c
    await c.shutdown_async(None)
    c.exit(None)
    await c.stop()
