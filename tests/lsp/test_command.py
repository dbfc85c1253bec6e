"""`hyosan lsp` without the `lsp` extra: one line that says what to install, exit 2."""

from __future__ import annotations

import importlib.util

import pytest

from game.cli import main


def test_lsp_without_pygls_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pygls" else real(name, *a)
    )
    assert main(["lsp"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "hyosan lsp: the language server needs pygls: pip install 'hyosan[lsp]'\n"


def test_lsp_is_listed_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "lsp" in capsys.readouterr().out
