"""TUI latency: keypress to new scene on screen, and time to the first interactive
screen, for the game and for a bare Textual app doing the same text swap, in one run.

    python bench/bench_tui.py [--choices 300] [--rounds 6] [--story DIR] [--starts 9]

The game and the bare app take turns (a round of each, the order swapped every round,
`--rounds`; the starts alternate one by one), so a change in the machine's load lands on
both; the figures are medians and 95th percentiles over all rounds. Each latency is
also taken in CPU time of the thread running the apps (`time.thread_time`), which the
waiting for a core on a loaded machine does not inflate.

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
    """Key-to-display latencies (wall clock and this thread's CPU time), and the time
    of the first display."""

    def __init__(self) -> None:
        self.key_at: float | None = None
        self.key_cpu = 0.0
        self.latencies: list[float] = []
        self.cpu: list[float] = []
        self.first_display: float | None = None
        self.first_cpu: float | None = None

    def key(self) -> None:
        self.key_at = time.perf_counter()
        self.key_cpu = time.thread_time()

    def displayed(self) -> None:
        now = time.perf_counter()
        cpu = time.thread_time()
        if self.first_display is None:
            self.first_display = now
            self.first_cpu = cpu
        if self.key_at is not None:
            self.latencies.append(now - self.key_at)
            self.cpu.append(cpu - self.key_cpu)
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


Latencies = tuple[list[float], list[float]]  # wall clock, CPU time


async def game_latencies(story: Story, n: int, seed: int, saves: Path) -> Latencies:
    return await play_keys(create_app(story, AppOptions(seed=seed, new=True, saves_dir=saves)), n, seed)


async def play_keys(app: Any, n: int, seed: int) -> Latencies:
    """Press n random available choice keys in a game app (this tree's or an older
    commit's, bench_tui_ab.py): each key's latency to its first frame, wall and CPU."""
    watch = Stopwatch()
    instrument(app, watch)
    pick = random.Random(seed)
    out: list[float] = []
    cpu: list[float] = []
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
            watch.cpu.clear()
            await pilot.press(str(pick.choice(available) + 1))
            await pilot.pause()
            if watch.latencies:
                out.append(watch.latencies[0])
                cpu.append(watch.cpu[0])
    return out, cpu


async def bare_latencies(pages: list[tuple[str, list[str]]], n: int, start: int = 0) -> Latencies:
    app = BareApp(pages)
    app.page = start
    watch = Stopwatch()
    instrument(app, watch)
    out: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        while len(out) < n:
            watch.latencies.clear()
            watch.cpu.clear()
            await pilot.press("1")
            await pilot.pause()
            if watch.latencies:
                out.append(watch.latencies[0])
                cpu.append(watch.cpu[0])
    return out, cpu


async def first_screen(make: Any) -> tuple[float, float]:
    """Wall clock and CPU time from building the app to its first frame."""
    started = time.perf_counter()
    started_cpu = time.thread_time()
    app = make()
    watch = Stopwatch()
    instrument(app, watch)
    async with app.run_test(size=(100, 30)) as pilot:
        while watch.first_display is None:
            await pilot.pause(0.001)
    assert watch.first_display is not None and watch.first_cpu is not None
    return watch.first_display - started, watch.first_cpu - started_cpu


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def describe(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return f"{name:<34} median {statistics.median(ms):7.2f} ms   p95 {p95(ms):7.2f} ms   (n={len(ms)})"


def compare(title: str, game: Latencies, bare: Latencies, game_name: str, bare_name: str) -> None:
    print(title)
    for label, index in (("wall clock", 0), ("CPU time", 1)):
        ours, base = game[index], bare[index]
        print(f" {label}")
        print(describe(f"  {game_name}", ours))
        print(describe(f"  {bare_name}", base))
        print(f"  ratio of medians: {statistics.median(ours) / statistics.median(base):.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--choices", type=int, default=300, help="keypresses per app, all rounds together")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--starts", type=int, default=9)
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

    rounds = max(1, args.rounds)
    per_round = max(1, args.choices // rounds)
    game: Latencies = ([], [])
    bare: Latencies = ([], [])
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):

            def run_game(r: int = r) -> Latencies:
                return asyncio.run(game_latencies(story, per_round, args.seed + r, Path(tmp)))

            def run_bare(r: int = r) -> Latencies:
                return asyncio.run(bare_latencies(pages, per_round, r * per_round))

            order = (run_game, run_bare) if r % 2 == 0 else (run_bare, run_game)
            for run in order:
                wall, cpu = run()
                into = game if run is run_game else bare
                into[0].extend(wall)
                into[1].extend(cpu)
    compare(
        "keypress to new scene on screen",
        game,
        bare,
        "hyosan (choose+autosave+redraw)",
        "bare Textual app (text swap)",
    )

    def make_game() -> HyosanApp:
        return create_app(story, AppOptions(seed=1, new=True, saves_dir=None))

    game_starts: Latencies = ([], [])
    bare_starts: Latencies = ([], [])
    for i in range(args.starts):
        order = [(make_game, game_starts), (lambda: BareApp(pages), bare_starts)]
        for make, into in order if i % 2 == 0 else reversed(order):
            wall, cpu = asyncio.run(first_screen(make))
            into[0].append(wall)
            into[1].append(cpu)
    compare(
        "time to the first interactive screen (app built -> first frame)",
        game_starts,
        bare_starts,
        "hyosan play --new",
        "bare Textual app",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
