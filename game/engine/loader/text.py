"""Conditions, templates and text: the parts of a story written in words.

Conditions are compiled once per distinct source (`expr.compile_full`); every name
they mention goes into the index of references with its exact column. Templates are
pre-split into literal strings and lookups.
"""

from __future__ import annotations

import re
from typing import Any

from ..expr import ExprError, Ref, compile_full
from ..model import WHO, Condition, Pos, Template, Text, TextBlock
from ..yamlpos import YList, YMap
from .reader import ID_RE, Reader, kind_of

_TEMPLATE_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


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
            except ExprError as exc:
                self.error(self._shift(pos, exc.offset, source), f"bad condition: {exc.message}")
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
        parts: list[str | tuple[str, str]] = []
        last = 0
        literal: list[str] = []
        for match in _TEMPLATE_RE.finditer(source):
            literal.append(source[last : match.start()])
            last = match.end()
            token = match.group(0)
            if token == "{{":
                literal.append("{")
                continue
            if token == "}}":
                literal.append("}")
                continue
            key = match.group(1)
            if key is None:
                self.error(pos, f"unmatched {token!r} in text (write {token * 2} for a brace)")
                literal.append(token)
                continue
            key = key.strip()
            kind, _, arg = key.partition(":")
            if kind in ("item", "counter") and arg:
                self.refs.uses.append((kind, arg, pos))
                if kind == "counter":
                    self.refs.counters_read.setdefault(arg, pos)
                lookup: tuple[str, str] = (kind, arg)
            elif key in ("player", "time", "day", WHO):
                lookup = (key, "")
            elif ID_RE.match(key):
                self.refs.uses.append(("member", key, pos))
                lookup = ("name", key)
            else:
                self.error(pos, f"unknown substitution {{{key}}}")
                continue
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(lookup)
        literal.append(source[last:])
        if "".join(literal):
            parts.append("".join(literal))
        return Template(source, tuple(parts))

    def text(self, value: Any, pos: Pos, what: str) -> Text:
        if isinstance(value, str):
            return Text((TextBlock(self.template(value, pos)),))
        if not isinstance(value, YList):
            self.error(pos, f"{what} must be text or a list of paragraphs, got {kind_of(value)}")
            return Text(())
        blocks: list[TextBlock] = []
        for i, item in enumerate(value):
            ipos = self.pos(value.ipos[i])
            if isinstance(item, str):
                blocks.append(TextBlock(self.template(item, ipos)))
                continue
            m = self.fields(item, f"a paragraph of {what}", ("if", "text", "else"), ("text",), ipos)
            if m is None:
                continue
            when = self.condition(m["if"], self.vpos(m, "if")) if "if" in m else None
            body = self.text_value(m, "text", "paragraph")
            other = self.text_value(m, "else", "paragraph")
            if body is None:
                continue
            blocks.append(
                TextBlock(
                    self.template_of(m, "text", body),
                    when,
                    self.template_of(m, "else", other) if other is not None else None,
                )
            )
        return Text(tuple(blocks))
