"""Nothing hostile gets through: a player's name or story text carrying escape sequences
(OSC 52 clipboard writes, CSI, 8-bit C1, bidi overrides) reaches no terminal and no
export, on every path: `game.textsafe`, plain mode, `replay --headless`, the `saves`
table, the .md/.html/.svg exports; a non-UTF-8 name is refused in one line."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.cli import main
from game.engine import saves
from game.engine.loader import load_or_raise
from game.textsafe import inert, inert_line, is_utf8

from .helpers import MINI, copy_mini, edit, play

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
HOSTILE = OSC52 + "\x1b[31mHa\x9b2J-neul\x1b]0;owned\x1b\\ [bold]x[/bold]\x07\u202e\x00"
# what must never reach a terminal: ESC, 8-bit CSI/OSC/DCS/ST, BEL, NUL, a bidi override
FORBIDDEN = ("\x1b", "\x9b", "\x9d", "\x90", "\x9c", "\x07", "\x00", "\u202e")


def assert_inert(text: str, shown_escaped: bool = False) -> None:
    for ch in FORBIDDEN:
        assert ch not in text, f"{ch!r} got through"
    if not shown_escaped:
        assert "52;c;" not in text and "owned" not in text  # sequences go whole, not half


def test_inert_removes_sequences_whole() -> None:
    assert inert("\x1b[1;31mred\x1b[0m") == "red"
    assert inert(OSC52 + "after") == "after"
    assert inert("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"  # OSC 8 hyperlink
    assert inert("a\x9b2Jb\x9d0;t\x9cc") == "abc"  # 8-bit CSI and OSC
    assert inert("a\x1bPq#0;2\x1b\\b") == "ab"  # DCS (sixel)
    assert inert("a\x1b7b\x1bc") == "ab"  # ESC 7, ESC c (reset)
    assert inert("lone \x1b") == "lone "
    assert inert("line\nnext\ttab") == "line\nnext\ttab"
    assert inert("\u202egnp.exe") == "gnp.exe"
    assert inert("x\udcffy") == "x\ufffdy"
    assert inert_line("  Ha-neul \n\x1b[2K  Kim ") == "Ha-neul Kim"
    assert inert("[bold]Ha-neul[/]") == "[bold]Ha-neul[/]"  # markup is the TUI's business
    assert not is_utf8("\udcff") and is_utf8("하늘")


@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x20FF)))
def test_inert_output_has_no_controls(text: str) -> None:
    out = inert(text)
    # no control character (Cc) but newline and tab, no surrogate (Cs), no bidi override
    assert all(unicodedata.category(ch) not in ("Cc", "Cs") or ch in "\n\t" for ch in out)
    assert not set(out) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert inert(out) == out


def test_a_non_utf8_name_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    # what argv holds for `--name $'\xff'` (Python decodes it with surrogateescape)
    code = main(["play", "--plain", "--story", str(MINI), "--name", "\udcff"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == "hyosan: --name: the name is not valid UTF-8 text\n"


def test_no_terminal_says_use_plain(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(["play", "--story", str(MINI)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--plain" in err


def test_a_textual_driver_in_the_environment_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # `hyosan serve`: textual-serve names its web driver; stdin is a pipe, keys come by it
    from game.commands.play import has_terminal

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert not has_terminal()
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert has_terminal()


def test_plain_mode_with_a_hostile_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n2\n"))
    folder = tmp_path / "saves"
    code = main(["play", "--plain", "--story", str(MINI), "--seed", "5", "--name", HOSTILE,
                 "--slot", "h", "--saves", str(folder)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert_inert(out)
    assert "You are Ha-neul [bold]x[/bold]." in out
    # the save holds the inert name too, so the next terminal is safe as well
    assert saves.load_run(folder / "h.json").player_name == "Ha-neul [bold]x[/bold]"


def test_plain_mode_with_hostile_story_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    story = copy_mini(tmp_path)
    edit(story, "label: Shut the door", 'label: "Shut\\e]52;c;owned\\a the door"', "scenes/main.yaml")
    edit(story, '"You are {player}. {ana} is here."', '"You are {player}.\\e[2J\\x9b3J {ana} is here."',
         "scenes/main.yaml")  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n"))
    assert main(["play", "--plain", "--story", str(story), "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    assert "1. Shut the door" in out and "You chose: Shut the door" in out


@pytest.fixture
def hostile_save(tmp_path: Path) -> Path:
    """A save made by someone else's game: the name and a label carry escapes."""
    story = load_or_raise(MINI)
    run, _ = play(story, 5, ["shut", "bite-bo", "wait", "back", "wait", "feed", "out"], name=HOSTILE)
    folder = tmp_path / "saves"
    saves.save_run(folder, "hostile", run)
    doc = json.loads((folder / "hostile.json").read_text())
    doc["steps"][0]["label"] = OSC52 + "Shut"
    (folder / "evil.json").write_text(json.dumps(doc))
    # a damaged save whose error quotes the hostile value back
    doc["seed"] = OSC52
    (folder / "torn.json").write_text(json.dumps(doc))
    return folder


def test_replay_headless_with_a_hostile_name(hostile_save: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["replay", "hostile", "--saves", str(hostile_save), "--story", str(MINI), "--headless"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert_inert(out)
    assert "Ha-neul [bold]x[/bold]" in out
    code = main(["replay", "torn", "--saves", str(hostile_save), "--story", str(MINI), "--headless"])
    out, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1
    assert_inert(err, shown_escaped=True)  # the damaged value is quoted as JSON: \u001b


def test_saves_table_with_hostile_names(
    hostile_save: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["saves", "--saves", str(hostile_save), "--story", str(MINI)]) == 0
    out, err = capsys.readouterr()
    assert_inert(out + err, shown_escaped=True)  # torn.json's error quotes the value as JSON
    assert "[bold]x[/bold]" in out  # shown as typed, not as style


@pytest.mark.parametrize("suffix", [".md", ".html", ".svg"])
def test_exports_with_a_hostile_name(hostile_save: Path, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"run{suffix}"
    for slot in ("hostile", "evil"):
        code = main(["replay", slot, "--saves", str(hostile_save), "--story", str(MINI), "--export", str(target)])
        assert code == 0
        text = target.read_text(encoding="utf-8")
        assert_inert(text)
        assert "Ha-neul" in text
