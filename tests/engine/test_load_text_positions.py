"""Positions inside texts (a bad name in a template, a bad `{if ...}`) are placed from the
text the loader parsed, not from a second read of the file: the same line and column
whether the file ends its lines with LF, CRLF or CR alone, or starts with a byte order
mark."""

from __future__ import annotations

import shutil
from pathlib import Path

from game.engine.loader import load_story
from tests.conftest import FIXTURES


def _broken(root: Path, newline: str, bom: bool) -> list[str]:
    shutil.copytree(FIXTURES / "v2", root)
    for path in sorted((root / "scenes").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        # an unknown name inside a quoted line, a `|` block and a plain line
        text = text.replace("{Their:ana}", "{Their:nobody}").replace("{daypart}", "{nosuch.thing}")
        text = text.replace("{if day == 1 and", "{if day === 1 and")
        data = ("\ufeff" if bom else "") + text.replace("\n", newline)
        path.write_bytes(data.encode("utf-8"))
    result = load_story(root, display_root="v2")
    return [str(d) for d in result.diagnostics]


def test_text_positions_do_not_depend_on_line_ends(tmp_path: Path) -> None:
    lf = _broken(tmp_path / "lf", "\n", bom=False)
    assert len(lf) >= 2, lf
    assert _broken(tmp_path / "crlf", "\r\n", bom=False) == lf
    assert _broken(tmp_path / "cr", "\r", bom=False) == lf
    assert _broken(tmp_path / "bom", "\r\n", bom=True) == lf
