"""The language server: pygls features over the story index and the checker worker.

One `LanguageServer`; each feature a decorated function that asks the index
(`project.py`) or the real checker (`worker.py`). Edits are indexed file by file after a
short pause in typing, and the whole story is checked (with the open buffers in place of
the files) in the worker process after the same pause, so a completion never waits for a
load of the story.

Over 400 lines on purpose: one short function per LSP feature around the one server
object; each is a few lines of conversion between LSP types and the index.
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Iterable
from typing import Any

from lsprotocol import types as t
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from . import deep
from .complete import candidates, context
from .describe import describe, describe_at
from .edits import RENAMABLE, RenameError, rename
from .index import find_root
from .project import Project
from .walk import Def, FileIndex, Span, Use
from .worker import Worker

DEBOUNCE = 0.3  # seconds of quiet typing before the story is re-indexed and checked

_COMPLETION_KINDS = {
    "scene": t.CompletionItemKind.Module,
    "flag": t.CompletionItemKind.Constant,
    "counter": t.CompletionItemKind.Variable,
    "member": t.CompletionItemKind.Field,
    "item": t.CompletionItemKind.Value,
    "location": t.CompletionItemKind.Struct,
    "happening": t.CompletionItemKind.Event,
    "function": t.CompletionItemKind.Function,
    "keyword": t.CompletionItemKind.Keyword,
    "fate-set": t.CompletionItemKind.Reference,
}
_SYMBOL_KINDS = {
    "scene": t.SymbolKind.Class,
    "flag": t.SymbolKind.Boolean,
    "counter": t.SymbolKind.Number,
    "member": t.SymbolKind.Object,
    "item": t.SymbolKind.Field,
    "location": t.SymbolKind.Struct,
    "event": t.SymbolKind.Event,
    "fate-set": t.SymbolKind.Namespace,
}


class StoryServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("hyosan", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental)
        self.projects: dict[str, Project] = {}
        self.building: dict[str, asyncio.Future[Project]] = {}
        self.dirty: dict[str, set[str]] = {}  # root -> open files edited since indexed
        self.waiting: dict[str, asyncio.Task[None]] = {}
        self.published: dict[str, set[str]] = {}  # root -> files that have diagnostics
        self.worker = Worker()
        self.checking: set[str] = set()  # roots being checked now
        self.again: set[str] = set()  # roots changed since their check started
        self.checked: dict[str, dict[str, list[t.Diagnostic]]] = {}  # root -> the last check's
        self.deep: dict[str, deep.Report] = {}  # root -> the continuity checker's last run

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or "utf-16")

    # -- projects and documents ------------------------------------------------------

    async def project(self, path: str) -> Project | None:
        root = find_root(path)
        if root is None:
            return None
        if root in self.projects:
            return self.projects[root]
        if root not in self.building:
            loop = asyncio.get_running_loop()
            self.building[root] = loop.run_in_executor(None, Project(root).build)
        project = await self.building[root]
        self.projects.setdefault(root, project)
        gc.freeze()  # the index is long-lived: keep the collector from walking it on every pause
        return self.projects[root]

    def text_of(self, path: str) -> str:
        doc = self.workspace.text_documents.get(from_fs_path(path) or "")
        if doc is not None:
            return str(doc.source)
        try:
            with open(path, encoding="utf-8") as fh:
                return fh.read()
        except (OSError, UnicodeDecodeError):
            return ""

    def refresh(self, project: Project, paths: Iterable[str] | None = None) -> None:
        """Re-index edited buffers now (definition, references and rename need exact spans)."""
        dirty = self.dirty.get(project.root, set())
        todo = list(dirty if paths is None else dirty.intersection(paths))
        for path in todo:
            dirty.discard(path)
            project.update(path, self.text_of(path))
        if todo:
            gc.freeze()

    def touched(self, project: Project, path: str) -> None:
        self.dirty.setdefault(project.root, set()).add(os.path.abspath(path))
        self.schedule(project)

    def schedule(self, project: Project) -> None:
        task = self.waiting.get(project.root)
        if task is not None and not task.done():
            task.cancel()
        self.waiting[project.root] = asyncio.ensure_future(self._after_pause(project))

    async def _after_pause(self, project: Project) -> None:
        await asyncio.sleep(DEBOUNCE)
        dirty = self.dirty.get(project.root, set())
        for path in list(dirty):
            # parse and walk in a thread, so a completion asked meanwhile is answered;
            # only the swap into the index happens here, on the loop
            text = self.text_of(path)
            fresh = await asyncio.to_thread(project.read, path, text)
            if path in dirty and text == self.text_of(path):
                dirty.discard(path)
                project.apply(fresh)
        gc.freeze()
        await asyncio.shield(self.check(project))

    async def check(self, project: Project) -> None:
        """Check the story; while a check runs, further requests fold into one more run
        after it (a full check of a large story takes seconds: never queue them up)."""
        root = project.root
        if root in self.checking:
            self.again.add(root)
            return
        self.checking.add(root)
        try:
            while True:
                self.again.discard(root)
                await self._check_once(project)
                if root not in self.again or self.worker.stopped:
                    break
        finally:
            self.checking.discard(root)

    async def _check_once(self, project: Project) -> None:
        overlays: dict[str, str] = {}
        for uri, doc in list(self.workspace.text_documents.items()):
            path = to_fs_path(uri)
            if path and os.path.abspath(path).startswith(project.root + os.sep):
                overlays[os.path.abspath(path)] = doc.source
        try:
            found = await asyncio.to_thread(self.worker.check, project.root, overlays, self.encoding)
        except RuntimeError as exc:
            if self.worker.stopped:
                return
            self.window_log_message(
                t.LogMessageParams(t.MessageType.Error, f"hyosan: the check failed: {exc}")
            )
            return
        by_path: dict[str, list[t.Diagnostic]] = {}
        for path, line, start, end, severity, message in found:
            by_path.setdefault(path, []).append(
                t.Diagnostic(
                    range=t.Range(t.Position(line, start), t.Position(line, end)),
                    message=message,
                    severity=t.DiagnosticSeverity.Error
                    if severity == "error"
                    else t.DiagnosticSeverity.Warning,
                    source="hyosan",
                )
            )
        self.checked[project.root] = by_path
        self.publish(project, set(overlays))

    def publish(self, project: Project, also: Iterable[str] = ()) -> None:
        """Send every file's diagnostics: the checker's, then the continuity findings."""
        by_path = self.checked.get(project.root, {})
        report = self.deep.get(project.root)
        findings = report.by_path if report is not None else {}
        before = self.published.get(project.root, set())
        paths = set(by_path) | set(findings)
        for path in before | paths | set(also):  # open files hear "no problems" too
            diagnostics = list(by_path.get(path, []))
            diagnostics += [self.finding(project, f) for f in findings.get(path, [])]
            self.text_document_publish_diagnostics(
                t.PublishDiagnosticsParams(uri=from_fs_path(path) or path, diagnostics=diagnostics)
            )
        self.published[project.root] = paths

    def finding(self, project: Project, f: deep.Finding) -> t.Diagnostic:
        index = project.files.get(f.path) or FileIndex(f.path, False)
        col = index.client_col(f.line, f.col, self.encoding)
        return t.Diagnostic(
            range=t.Range(t.Position(f.line, col), t.Position(f.line, col + 1)),
            message=f.message,
            severity=t.DiagnosticSeverity.Warning,
            source=deep.SOURCE,
        )

    async def continuity(self, project: Project, runs: int | None = None) -> deep.Report:
        report = await deep.run(project.root, runs)
        self.deep[project.root] = report
        self.publish(project)
        return report

    # -- conversions --------------------------------------------------------------------

    def range(self, project: Project, path: str, span: Span) -> t.Range:
        index = project.files.get(path) or FileIndex(path, False)
        return t.Range(
            t.Position(span.line, index.client_col(span.line, span.start, self.encoding)),
            t.Position(span.line, index.client_col(span.line, span.end, self.encoding)),
        )

    def location(self, project: Project, entry: Def | Use) -> t.Location:
        return t.Location(
            uri=from_fs_path(entry.path) or entry.path, range=self.range(project, entry.path, entry.span)
        )

    async def at(self, uri: str, pos: t.Position) -> tuple[Project, Def | Use] | None:
        path = to_fs_path(uri)
        if path is None:
            return None
        path = os.path.abspath(path)
        project = await self.project(path)
        if project is None:
            return None
        # every edited buffer, not only this one: a definition may be in another open
        # file typed into a moment ago (a new fate set, before the pause re-indexes it)
        self.refresh(project)
        index = project.files.get(path)
        if index is None:
            return None
        found = project.symbol_at(path, pos.line, index.server_col(pos.line, pos.character, self.encoding))
        return (project, found) if found else None


server = StoryServer()


@server.feature(t.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: StoryServer, params: t.DidOpenTextDocumentParams) -> None:
    await _touch(ls, params.text_document.uri)


@server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: StoryServer, params: t.DidChangeTextDocumentParams) -> None:
    await _touch(ls, params.text_document.uri)


@server.feature(t.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: StoryServer, params: t.DidSaveTextDocumentParams) -> None:
    await _touch(ls, params.text_document.uri)
    path = to_fs_path(params.text_document.uri)
    project = await ls.project(path) if path else None
    last = ls.deep.get(project.root) if project else None
    if project and last is not None and last.seconds < deep.ON_SAVE_UNDER:
        # fast enough on this story to follow every save; slower ones run on request
        try:
            await ls.continuity(project)
        except deep.ContinuityError:
            pass  # the story does not load as saved: the checker's diagnostics say why


@server.command(deep.COMMAND)
async def continuity(ls: StoryServer, *args: Any) -> dict[str, Any]:
    """`hyosan.continuity [file-or-folder-uri] [runs]`: run the continuity checker on the
    story (as saved) and show its findings as warnings. Returns the figures."""
    uri = str(args[0]) if args else (ls.workspace.root_uri or "")
    path = to_fs_path(uri) if uri else None
    if path and os.path.isdir(path):
        path = os.path.join(path, "story.yaml")
    project = await ls.project(path) if path else None
    if project is None:
        raise JsonRpcInvalidParams(f"no story.yaml at or above {uri!r}")
    runs = int(args[1]) if len(args) > 1 and args[1] else None
    try:
        report = await ls.continuity(project, runs)
    except deep.ContinuityError as exc:
        ls.window_show_message(t.ShowMessageParams(t.MessageType.Error, f"hyosan continuity: {exc}"))
        return {"ok": False, "error": str(exc)}
    text = f"hyosan continuity: {report.count} finding(s) in {report.runs} runs, {report.seconds:.1f} s"
    ls.window_show_message(t.ShowMessageParams(t.MessageType.Info, text))
    return {"ok": True, "findings": report.count, "runs": report.runs, "seconds": report.seconds}


@server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: StoryServer, params: t.DidCloseTextDocumentParams) -> None:
    await _touch(ls, params.text_document.uri)  # the file on disk counts again


async def _touch(ls: StoryServer, uri: str) -> None:
    path = to_fs_path(uri)
    if path and path.endswith((".yaml", ".yml")) and (project := await ls.project(path)):
        ls.touched(project, path)


@server.feature(
    t.TEXT_DOCUMENT_COMPLETION,
    t.CompletionOptions(trigger_characters=[":", " ", "(", "{", ",", "-"], resolve_provider=True),
)
async def completion(ls: StoryServer, params: t.CompletionParams) -> t.CompletionList | None:
    path = to_fs_path(params.text_document.uri)
    project = await ls.project(path) if path else None
    if project is None:
        return None
    doc = ls.workspace.get_text_document(params.text_document.uri)
    lines = doc.lines
    line_no = params.position.line
    line = lines[line_no].rstrip("\r\n") if line_no < len(lines) else ""
    col = min(doc.position_codec.position_from_client_units(lines, params.position).character, len(line))
    what, word, _ = context(line[:col], lines, line_no)
    if not what:
        return None
    found, more = candidates(project, what, word)
    start = params.position.character - len(word)  # ids are ASCII: the same in every encoding
    replace = t.Range(t.Position(line_no, start), params.position)
    # lean items (a list of 10,000 scenes is cut to 200, and each item costs time to
    # serialize): the longer documentation comes on completionItem/resolve
    items = [
        t.CompletionItem(
            label=c.label,
            kind=_COMPLETION_KINDS.get(c.kind, t.CompletionItemKind.Text),
            detail=c.detail or None,
            text_edit=t.TextEdit(replace, c.label),
            data=[project.root, c.kind] if c.doc else None,
        )
        for c in found
    ]
    return t.CompletionList(is_incomplete=more, items=items)


@server.feature(t.COMPLETION_ITEM_RESOLVE)
def resolve_completion(ls: StoryServer, item: t.CompletionItem) -> t.CompletionItem:
    data = item.data
    if isinstance(data, list) and len(data) == 2 and (project := ls.projects.get(str(data[0]))):
        text = describe(project, str(data[1]), item.label)
        item.documentation = t.MarkupContent(t.MarkupKind.Markdown, text) if text else None
    return item


@server.feature(t.TEXT_DOCUMENT_DEFINITION)
async def definition(ls: StoryServer, params: t.DefinitionParams) -> list[t.Location] | None:
    found = await ls.at(params.text_document.uri, params.position)
    if found is None:
        return None
    project, entry = found
    return [ls.location(project, d) for d in project.definitions(entry.kind, entry.name)] or None


@server.feature(t.TEXT_DOCUMENT_REFERENCES)
async def references(ls: StoryServer, params: t.ReferenceParams) -> list[t.Location] | None:
    found = await ls.at(params.text_document.uri, params.position)
    if found is None:
        return None
    project, entry = found
    ls.refresh(project)
    out: list[Def | Use] = []
    if params.context.include_declaration:
        out += project.definitions(entry.kind, entry.name)
    out += project.uses(entry.kind, entry.name)
    return [ls.location(project, e) for e in out]


@server.feature(t.TEXT_DOCUMENT_HOVER)
async def hover(ls: StoryServer, params: t.HoverParams) -> t.Hover | None:
    found = await ls.at(params.text_document.uri, params.position)
    if found is None:
        return _hover_language(ls, params)
    project, entry = found
    text = describe(project, entry.kind, entry.name)
    if not text:
        return None
    return t.Hover(
        contents=t.MarkupContent(t.MarkupKind.Markdown, text),
        range=ls.range(project, entry.path, entry.span),
    )


def _hover_language(ls: StoryServer, params: t.HoverParams) -> t.Hover | None:
    """Hover over the condition language's own words: `anyone` before its `(`, `dead`
    inside `anyone(dead or zombie)`."""
    doc = ls.workspace.get_text_document(params.text_document.uri)
    lines = doc.lines
    line_no = params.position.line
    if line_no >= len(lines):
        return None
    line = lines[line_no].rstrip("\r\n")
    col = doc.position_codec.position_from_client_units(lines, params.position).character
    found = describe_at(line, col)
    if found is None:
        return None
    text, start, end = found
    span = doc.position_codec.range_to_client_units(
        lines, t.Range(t.Position(line_no, start), t.Position(line_no, end))
    )
    return t.Hover(contents=t.MarkupContent(t.MarkupKind.Markdown, text), range=span)


@server.feature(t.TEXT_DOCUMENT_PREPARE_RENAME)
async def prepare_rename(ls: StoryServer, params: t.PrepareRenameParams) -> t.PrepareRenamePlaceholder | None:
    found = await ls.at(params.text_document.uri, params.position)
    if found is None or found[1].kind not in RENAMABLE:
        return None
    project, entry = found
    return t.PrepareRenamePlaceholder(range=ls.range(project, entry.path, entry.span), placeholder=entry.name)


@server.feature(t.TEXT_DOCUMENT_RENAME)
async def rename_symbol(ls: StoryServer, params: t.RenameParams) -> t.WorkspaceEdit | None:
    found = await ls.at(params.text_document.uri, params.position)
    if found is None:
        return None
    project, entry = found
    ls.refresh(project)
    try:
        edits = rename(project, entry.kind, entry.name, params.new_name, ls.text_of(project.manifest))
    except RenameError as exc:
        raise JsonRpcInvalidParams(str(exc)) from None
    return t.WorkspaceEdit(
        changes={
            from_fs_path(path) or path: [
                t.TextEdit(ls.range(project, path, span), text) for span, text in spans
            ]
            for path, spans in edits.items()
        }
    )


@server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
async def document_symbols(ls: StoryServer, params: t.DocumentSymbolParams) -> list[t.DocumentSymbol] | None:
    path = to_fs_path(params.text_document.uri)
    project = await ls.project(path) if path else None
    if project is None or path is None:
        return None
    path = os.path.abspath(path)
    ls.refresh(project, [path])
    index = project.files.get(path)
    if index is None:
        return []
    out = []
    for scene in index.scenes:
        whole = t.Range(t.Position(scene.first_line, 0), t.Position(scene.last_line + 1, 0))
        choices = [
            t.DocumentSymbol(
                name=cid,
                kind=t.SymbolKind.Method,
                range=ls.range(project, path, span),
                selection_range=ls.range(project, path, span),
            )
            for cid, span in scene.choices
        ]
        defs = project.definitions("scene", scene.id)
        detail = next((d.detail for d in defs if d.path == path), "")
        out.append(
            t.DocumentSymbol(
                name=scene.id,
                kind=t.SymbolKind.Class,
                range=whole,
                selection_range=ls.range(project, path, scene.span),
                detail=detail or None,
                children=choices,
            )
        )
    return out


@server.feature(t.WORKSPACE_SYMBOL)
async def workspace_symbols(ls: StoryServer, params: t.WorkspaceSymbolParams) -> list[t.SymbolInformation]:
    query = params.query.lower()
    out: list[t.SymbolInformation] = []
    for project in list(ls.projects.values()):
        for kind, table in project.defs.items():
            for name, defs in table.items():
                if query in name:
                    out.extend(
                        t.SymbolInformation(
                            name=name,
                            kind=_SYMBOL_KINDS[kind],
                            location=ls.location(project, d),
                            container_name=kind,
                        )
                        for d in defs
                    )
                if len(out) >= 500:
                    return out
    return out


@server.feature(t.INITIALIZED)
async def initialized(ls: StoryServer, params: t.InitializedParams) -> None:
    """Index the story folders in the workspace at once, for workspace symbols."""
    roots = [f.uri for f in ls.workspace.folders.values()] or [ls.workspace.root_uri or ""]
    for uri in roots:
        folder = to_fs_path(uri) if uri else None
        if not folder:
            continue
        for candidate in (folder, os.path.join(folder, "story")):
            if os.path.isfile(os.path.join(candidate, "story.yaml")):
                await ls.project(os.path.join(candidate, "story.yaml"))


@server.feature(t.SHUTDOWN)
def shutdown(ls: StoryServer, params: None) -> None:
    ls.worker.stop()


def main() -> int:
    server.start_io()
    server.worker.stop()
    return 0
