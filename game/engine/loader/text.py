"""Conditions, templates and text: the parts of a story written in words.

Conditions are compiled once per distinct source (`expr.compile_full`); every name
they mention goes into the index of references with its exact column. Templates are
compiled by `templates.compile_text` (lookups, pronouns, the run's memory, text
variation); each error and reference gets the exact line and column inside its text.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

from ..diagnostics import did_you_mean
from ..expr import ExprError, Ref, compile_full
from ..model import Condition, Pos, Template, Text, TextBlock
from ..templates import compile_text
from ..textvar import TemplateError
from ..yamlpos import YList, YMap
from .reader import Reader, kind_of

# the continuity checker's rules (game/tools/continuity), silenced one by one with `quiet:`
QUIET_RULES = ("people", "pronoun", "repeat", "time", "place", "fact")
PARAGRAPH_FIELDS = ("if", "text", "else", "quiet")
FATE_LINE_FIELDS = (*PARAGRAPH_FIELDS, "case")  # a fate line may be named, to be replaced


class LineInfo(NamedTuple):
    """Where one block of a fate text was written, and its `case:` name if it has one."""

    pos: Pos  # of its text
    case: str | None = None
    case_pos: Pos | None = None


class TextReader(Reader):
    # -- conditions, templates, text -------------------------------------------------

    def condition(self, source: Any, pos: Pos, quoted_shift: int = 0) -> Condition | None:
        if isinstance(source, bool):
            source = "true" if source else "false"
        if not isinstance(source, str):
            self.error(pos, f"a condition must be text, got {kind_of(source)}")
            return None
        cached = self.compiled.get(source)
        if cached is None:
            try:
                cached = compile_full(source, self.ctx)
            except ExprError as exc:  # text_pos: right inside a quoted scalar too (errors are rare)
                self.error(self.text_pos(pos, source, exc.offset), f"bad condition: {exc.message}")
                return None
            self.compiled[source] = cached
        for ref in cached.refs:
            self.note_ref(ref, self._shift(pos, ref.offset, source))
        return Condition(source, cached.evaluate, pos, cached.thresholds)

    @staticmethod
    def _shift(pos: Pos, offset: int, source: str) -> Pos:
        if "\n" in source[:offset]:
            return pos
        return Pos(pos.path, pos.line, pos.col + offset)

    def note_ref(self, ref: Ref, pos: Pos) -> None:
        if ref.kind == "flag":
            self.refs.flags_read.setdefault(ref.name, pos)
        elif ref.kind == "counter":
            self.refs.counters_read.setdefault(ref.name, pos)
        self.refs.uses.append((ref.kind, ref.name, pos))

    def template_of(self, m: YMap, key: str, source: str) -> Template:
        if "{" not in source and "}" not in source:
            self.words += len(source.split())
            return Template(source, (source,) if source else ())
        return self.template(source, self.vpos(m, key))

    def template(self, source: str, pos: Pos) -> Template:
        self.words += len(source.split())
        if "{" not in source and "}" not in source:
            return Template(source, (source,) if source else ())

        def ref(kind: str, name: str, offset: int) -> None:
            at = self.text_pos(pos, source, offset)
            self.refs.uses.append((kind, name, at))
            if kind == "counter":
                self.refs.counters_read.setdefault(name, at)

        def condition(inner: str, offset: int) -> Any:
            cached = self.compiled.get(inner)
            if cached is None:
                try:
                    cached = compile_full(inner, self.ctx)
                except ExprError as exc:
                    raise TemplateError(f"bad condition: {exc.message}", offset + exc.offset) from None
                self.compiled[inner] = cached
            for r in cached.refs:
                self.note_ref(r, self.text_pos(pos, source, offset + r.offset))
            return cached.evaluate

        parts, errors = compile_text(source, ref, condition)
        for error in errors:
            report = self.warning if error.warning else self.error
            report(self.text_pos(pos, source, error.offset), error.message)
        return Template(source, self.share_parts(parts))

    def share_parts(self, parts: tuple[Any, ...]) -> tuple[Any, ...]:
        """The template's literal pieces and plain lookups (`(" hears ", ("name", "ana"))`)
        as one shared object each across the story; anything else is kept as it is."""
        share = self.shared.setdefault
        out = []
        for part in parts:
            if type(part) is str or (type(part) is tuple and all(type(x) is str for x in part)):
                part = share(part, part)
            out.append(part)
        return tuple(out)

    def text_pos(self, pos: Pos, source: str, offset: int) -> Pos:
        """The file position of `source[offset]`, for a scalar that starts at `pos`
        (plain, quoted or a `|` block). Falls back to `pos` when the file says otherwise
        (escapes, folding)."""
        lines = self._file_lines(pos.path)
        if not 0 < pos.line <= len(lines):
            return pos
        fragment = source[offset : offset + 16].split("\n", 1)[0]
        before = source[:offset]
        newlines = before.count("\n")
        col = offset - (before.rfind("\n") + 1)
        head = lines[pos.line - 1][pos.col - 1 : pos.col]
        if head in ("|", ">"):
            line_no = pos.line + 1 + newlines
            if line_no <= len(lines):
                body = lines[pos.line] if pos.line < len(lines) else ""
                indent = len(body) - len(body.lstrip(" "))
                guess = Pos(pos.path, line_no, indent + col + 1)
                if lines[line_no - 1][indent + col : indent + col + len(fragment)] == fragment:
                    return guess
        elif newlines == 0:
            start = pos.col - 1 + (1 if head in ("'", '"') else 0) + offset
            if lines[pos.line - 1][start : start + len(fragment)] == fragment:
                return Pos(pos.path, pos.line, start + 1)
        if fragment:
            for i in range(pos.line - 1, min(len(lines), pos.line + 200)):
                found = lines[i].find(fragment, pos.col if i == pos.line - 1 else 0)
                if found >= 0:
                    return Pos(pos.path, i + 1, found + 1)
        return pos

    def _file_lines(self, display_path: str) -> list[str]:
        lines = self.file_lines.get(display_path)
        if lines is None:
            text = self.file_texts.get(display_path)
            if text is None:
                real = self.root / os.path.relpath(display_path, self.display_root)
                try:
                    text = real.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    self.file_lines[display_path] = []
                    return []
            elif "\r" in text:  # as text mode reads it (universal newlines)
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            lines = text.split("\n")
            self.file_lines[display_path] = lines
        return lines

    def quiet(self, m: YMap) -> None:
        """`quiet: {rule: reason}` silences continuity findings (game/tools/continuity);
        the engine only checks its shape."""
        raw = m.get("quiet")
        if raw is None and "quiet" not in m:
            return
        if not isinstance(raw, YMap) or not raw:
            self.error(self.vpos(m, "quiet"), f"quiet must be a mapping of rule: reason, got {kind_of(raw)}")
            return
        for rule, reason in raw.items():
            if rule not in QUIET_RULES:
                self.error(
                    self.pos(raw.kpos.get(rule)),
                    f"unknown continuity rule {rule!r} in quiet (one of {', '.join(QUIET_RULES)})"
                    + did_you_mean(str(rule), QUIET_RULES),
                )
            elif not isinstance(reason, str) or not reason.strip():
                self.error(self.pos(raw.vpos.get(rule, raw.pos)), f"quiet: {rule} needs a reason (text)")

    def text(self, value: Any, pos: Pos, what: str, lines: list[LineInfo] | None = None) -> Text:
        """A text value. With `lines` (fate lines), a paragraph may also carry `case:`,
        and `lines` gets one `LineInfo` per block returned."""
        if isinstance(value, str):
            if lines is not None:
                lines.append(LineInfo(pos))
            return Text((TextBlock(self.template(value, pos)),))
        if not isinstance(value, YList):
            self.error(pos, f"{what} must be text or a list of paragraphs, got {kind_of(value)}")
            return Text(())
        blocks: list[TextBlock] = []
        allowed = PARAGRAPH_FIELDS if lines is None else FATE_LINE_FIELDS
        for i, item in enumerate(value):
            ipos = self.pos(value.ipos[i])
            if isinstance(item, str):
                if lines is not None:
                    lines.append(LineInfo(ipos))
                blocks.append(TextBlock(self.template(item, ipos)))
                continue
            m = self.fields(item, f"a paragraph of {what}", allowed, ("text",), ipos)
            if m is None:
                continue
            if "quiet" in m:
                self.quiet(m)
            when = self.condition(m["if"], self.vpos(m, "if")) if "if" in m else None
            body = self.text_value(m, "text", "paragraph")
            other = self.text_value(m, "else", "paragraph") if "else" in m else None
            if body is None:
                continue
            if lines is not None:
                case = self.id_value(m, "case", f"a line of {what}") if "case" in m else None
                lines.append(LineInfo(self.vpos(m, "text"), case, self.vpos(m, "case") if case else None))
            blocks.append(
                TextBlock(
                    self.template_of(m, "text", body),
                    when,
                    self.template_of(m, "else", other) if other is not None else None,
                )
            )
        return Text(tuple(blocks))
