"""`hyosan serve` end to end: a real server on 127.0.0.1, headless Chromium through
Playwright, key presses as a player makes them.

The terminal in the page is a canvas, so what changed is read from two places: the
session's autosave (the scene the engine is in) and the pixels (the screen is redrawn).
Skipped, with the reason, when Playwright, textual-serve or a Chromium is missing. When
it fails, the page's last screenshot is kept in `test-artifacts/web/` (or
`$HYOSAN_TEST_ARTIFACTS`).
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from game.engine.loader import load_or_raise
from game.engine.model import Story
from game.engine.saves import latest_autosave, load_run, replay
from tests.conftest import REPO

pytestmark = pytest.mark.slow

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# generous: the machine is shared; each wait polls and returns as soon as it holds
TIMEOUT = 90.0
ARTIFACTS = Path(os.environ.get("HYOSAN_TEST_ARTIFACTS") or REPO / "test-artifacts") / "web"


def find_chromium() -> str | None:
    for candidate in (os.environ.get("HYOSAN_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    try:
        import textual_serve  # noqa: F401
    except ImportError:
        return "textual-serve is not installed (pip install -e '.[test]', which brings the web extra)"
    if find_chromium() is None:
        return "no Chromium found at /usr/bin/chromium (install it: apt-get install chromium)"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(what: str, check: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
    """Poll `check` until it returns something truthy; fail saying `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    reason = skip_reason()
    if reason:
        print(f"SKIPPED browser test: {reason}")
        pytest.skip(reason)
    port = free_port()
    root = tmp_path / "web-saves"
    log = (tmp_path / "serve.log").open("w")
    env = {**os.environ, "HYOSAN_CONFIG": str(tmp_path / "config.toml")}
    env.pop("HYOSAN_SAVES", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "game", "serve", "--host", "127.0.0.1", "--port", str(port), "--saves-root", str(root)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"

    def answers() -> bool:
        if proc.poll() is not None:
            pytest.fail(f"hyosan serve exited {proc.returncode}:\n{(tmp_path / 'serve.log').read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    try:
        wait_for("hyosan serve to answer", answers)
        yield url, root
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


@functools.cache
def bundled() -> Story:
    return load_or_raise(REPO / "story")


def autosave_scene(folder: Path) -> tuple[int, str] | None:
    """(steps taken, scene now) of the session's autosave, or None before there is one."""
    path = latest_autosave(folder)  # each run autosaves to a slot of its own
    if path is None or not path.is_file():
        return None
    try:
        run = load_run(path)
    except Exception:  # mid-write: try again on the next poll
        return None
    return len(run.steps), replay(bundled(), run).final.scene


def sessions(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def test_two_browser_sessions_play_with_their_own_saves(server: tuple[str, Path]) -> None:
    from playwright.sync_api import Page, sync_playwright

    url, root = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS, headless=True)
        pages: list[Page] = []
        try:

            def open_session() -> tuple[Page, Path]:
                before = set(sessions(root))
                page = browser.new_page(viewport={"width": 1200, "height": 800})
                pages.append(page)
                # the test talks to this machine only (the page also asks for a web font)
                page.route(
                    "**/*",
                    lambda route: route.continue_()
                    if route.request.url.startswith(url)
                    else route.abort(),
                )
                page.goto(url)
                page.wait_for_selector("body.-first-byte", timeout=TIMEOUT * 1000)
                folder = wait_for("a session folder", lambda: set(sessions(root)) - before)
                assert len(folder) == 1
                return page, folder.pop()

            def new_game(page: Page, folder: Path) -> str:
                # keys go in only once a screen has finished drawing, so none is lost
                # to a screen that is not there yet
                title = wait_for("the title screen", lambda: screen_settled(page))
                page.locator("textarea.xterm-helper-textarea").focus()
                page.keyboard.press("n")  # title: New game -> the name prompt
                wait_for("the name prompt", lambda: screen_changes(page, before=title))
                wait_for("the name prompt to settle", lambda: screen_settled(page))
                page.keyboard.press("Enter")  # keep the suggested name
                steps, scene = wait_for("the new game's autosave", lambda: autosave_scene(folder))
                assert steps == 0
                return str(scene)

            page, first = open_session()
            start = new_game(page, first)
            in_play = wait_for("the first scene on screen", lambda: screen_settled(page))

            page.keyboard.press("1")
            steps, scene = wait_for(
                "the choice to be taken and saved",
                lambda: (got := autosave_scene(first)) and got[0] == 1 and got,
            )
            assert scene != start, f"pressing 1 left the game in {start}"
            wait_for("the next scene on screen", lambda: screen_changes(page, before=in_play))

            other_page, second = open_session()
            assert second != first
            other_start = new_game(other_page, second)
            assert other_start == start
            # the first session's autosave was not touched by the second one
            assert autosave_scene(first) == (1, scene)
            assert autosave_scene(second) == (0, start)
            if os.environ.get("HYOSAN_KEEP_SCREENSHOTS"):
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "serve-after-choice.png"))
        except BaseException:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for n, p in enumerate(pages):
                shot = ARTIFACTS / f"serve-session-{n + 1}.png"
                try:
                    p.screenshot(path=str(shot))
                    print(f"screenshot kept: {shot}")
                except Exception as exc:  # the page may be gone
                    print(f"no screenshot of session {n + 1}: {exc}")
            raise
        finally:
            browser.close()


def screen_changes(page: Any, before: bytes) -> bool:
    return bool(page.screenshot() != before)


def screen_settled(page: Any) -> bytes | None:
    """A screenshot once two in a row are the same (the scene has finished drawing)."""
    first = page.screenshot()
    time.sleep(0.3)
    second = page.screenshot()
    return bytes(second) if first == second else None
