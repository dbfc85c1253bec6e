"""TUI latency: keypress to new scene on screen, and time to the first interactive
screen, for the game and for a bare Textual app doing the same text swap, in one run.

    python bench/bench_tui.py [--choices 300] [--story DIR] [--starts 5]

Pilot's `press` sleeps by itself, so the clock is not the harness's: each app records
the moment its key event arrives (`on_event`) and the moment the compositor hands the
next screen update to the driver (`_display`, called in headless mode too). The game's
figure includes the engine's `choose`, the autosave (atomic write + fsync) and redrawing
scene, choices and party panel; the bare app only swaps a Static's text and an
OptionList's options.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.engine import rules  # noqa: E402
from game.engine.loader import load_story  # noqa: E402
from game.engine.model import Story  # noqa: E402
from game.tui.app import AppOptions, HyosanApp, create_app  # noqa: E402


class Stopwatch:
    """Key-to-display latencies, and the time of the first display."""

    def __init__(self) -> None:
        self.key_at: float | None = None
        self.latencies: list[float] = []
        self.first_display: float | None = None

    def key(self) -> None:
        self.key_at = time.perf_counter()

    def displayed(self) -> None:
        now = time.perf_counter()
        if self.first_display is None:
            self.first_display = now
        if self.key_at is not None:
            self.latencies.append(now - self.key_at)
            self.key_at = None


def instrument(app: App[Any], watch: Stopwatch) -> None:
    original_display = app._display
    original_on_event = app.on_event

    def display(screen: Any, renderable: Any) -> None:
        original_display(screen, renderable)
        if renderable is not None:
            watch.displayed()

    async def on_event(event: events.Event) -> None:
        if isinstance(event, events.Key):
            watch.key()
        await original_on_event(event)

    app._display = display  # type: ignore[method-assign]
    app.on_event = on_event  # type: ignore[method-assign]


class BareApp(App[None]):
    """A Static and an OptionList; `1`-`9` swap in the next scene's text and options."""

    BINDINGS = [Binding(str(n), "swap", show=False) for n in range(1, 10)]

    def __init__(self, pages: list[tuple[str, list[str]]]) -> None:
        super().__init__()
        self.pages = pages
        self.page = 0

    def compose(self) -> ComposeResult:
        yield Static(id="text")
        yield OptionList(id="choices")

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        text, labels = self.pages[self.page % len(self.pages)]
        self.query_one("#text", Static).update(Text(text))
        self.query_one("#choices", OptionList).set_options(Option(label) for label in labels)

    def action_swap(self) -> None:
        self.page += 1
        self.show()


def sample_pages(story: Story, count: int) -> list[tuple[str, list[str]]]:
    pages = []
    for scene in list(story.scenes.values())[:count]:
        state = rules.new_game(story, seed=1)
        try:
            text = rules.render_text(story, state, scene.text)
        except Exception:  # a text whose conditions need a richer state
            text = scene.id
        pages.append((text, [c.id for c in scene.choices] or ["(the end)"]))
    return pages


async def game_latencies(story: Story, n: int, seed: int, saves: Path) -> list[float]:
    app = create_app(story, AppOptions(seed=seed, new=True, saves_dir=saves))
    watch = Stopwatch()
    instrument(app, watch)
    pick = random.Random(seed)
    out: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        while len(out) < n:
            session = app.session
            assert session is not None
            if session.ended:
                app.start_game(None)
                await pilot.pause()
                continue
            available = [i for i, v in enumerate(session.choices()) if v.available][:9]
            if not available:
                app.start_game(None)
                await pilot.pause()
                continue
            watch.latencies.clear()
            await pilot.press(str(pick.choice(available) + 1))
            await pilot.pause()
            if watch.latencies:
                out.append(watch.latencies[0])
    return out


async def bare_latencies(pages: list[tuple[str, list[str]]], n: int) -> list[float]:
    app = BareApp(pages)
    watch = Stopwatch()
    instrument(app, watch)
    out: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        while len(out) < n:
            watch.latencies.clear()
            await pilot.press("1")
            await pilot.pause()
            if watch.latencies:
                out.append(watch.latencies[0])
    return out


async def first_screen(make: Any) -> float:
    started = time.perf_counter()
    app = make()
    watch = Stopwatch()
    instrument(app, watch)
    async with app.run_test(size=(100, 30)) as pilot:
        while watch.first_display is None:
            await pilot.pause(0.001)
    assert watch.first_display is not None
    return watch.first_display - started


def describe(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"{name:<34} median {statistics.median(ms):7.2f} ms   p95 {p95:7.2f} ms   (n={len(ms)})"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--choices", type=int, default=300)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--story", default=str(ROOT / "story"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    result = load_story(args.story)
    story_dir = args.story
    if not result.ok or result.story is None:
        story_dir = str(ROOT / "tests" / "tui" / "fixtures" / "ward")
        print(f"{args.story} does not load; using {story_dir}")
        result = load_story(story_dir)
    story = result.story
    assert story is not None
    pages = sample_pages(story, 200)
    print(f"story: {story_dir} ({len(story.scenes)} scenes), terminal 100x30, headless")

    with tempfile.TemporaryDirectory() as tmp:
        game = asyncio.run(game_latencies(story, args.choices, args.seed, Path(tmp)))
    bare = asyncio.run(bare_latencies(pages, args.choices))
    print("keypress to new scene on screen")
    print(describe("  hyosan (choose+autosave+redraw)", game))
    print(describe("  bare Textual app (text swap)", bare))
    print(f"  ratio of medians: {statistics.median(game) / statistics.median(bare):.2f}x")

    def make_game() -> HyosanApp:
        return create_app(story, AppOptions(seed=1, new=True, saves_dir=None))

    game_starts = [asyncio.run(first_screen(make_game)) for _ in range(args.starts)]
    bare_starts = [asyncio.run(first_screen(lambda: BareApp(pages))) for _ in range(args.starts)]
    print("time to the first interactive screen (app built -> first frame)")
    print(describe("  hyosan play --new", game_starts))
    print(describe("  bare Textual app", bare_starts))
    print(f"  ratio of medians: {statistics.median(game_starts) / statistics.median(bare_starts):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
