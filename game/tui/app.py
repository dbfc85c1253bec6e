"""The Textual game: `HyosanApp`, built by `create_app` (the CLI and the tests both call
it), and the entry points `run_app` (play) and `run_replay` (replay mode).

The App holds the one `Session` (game/session.py, no Textual); screens post messages
(`messages.py`), the App asks the session, and screens redraw from the session's change
notification: no screen or widget keeps a second copy of the state. The TUI never decides
a rule.

Never lose a run: each run autosaves to its own slot (`saves.autosaves`), so New game,
Load and Continue never write over another run; a run that no longer fits an edited
story plays on in a new slot, the original kept whole, and the play screen says so.

Over 400 lines on purpose: every flow that starts, loads, saves or replaces a run is here,
next to the others, so "never lose a run" can be checked by reading one file.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.events import Resize
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES

from ..engine.model import Story
from ..engine.saves import Replay, Run, SaveError, list_saves, load_run, replay, slot_path
from ..engine.saves.autosaves import (
    KEEP_AUTOSAVES,
    autosave_paths,
    is_autosave,
    latest_autosave,
    new_autosave_slot,
    prune_autosaves,
    slot_of,
)
from ..engine.state import GameState
from ..plain import describe_run
from ..profile import Profile, RunResult, load_profile, profile_path, save_profile
from ..session import Session
from . import MIN_HEIGHT, MIN_WIDTH
from .collector import CollectorHold
from .messages import ChoiceRequested, UndoRequested
from .screens.ending import EndingScreen
from .screens.endings import EndingsScreen
from .screens.modals import (
    ConfirmScreen,
    HelpScreen,
    LoadScreen,
    NameScreen,
    QuitScreen,
    SaveScreen,
    TooSmallScreen,
)
from .screens.play import PlayScreen
from .screens.replay import ReplayScreen
from .screens.title import TitleScreen
from .text import clean, clean_name

WIDE_WIDTH, WIDE_HEIGHT = 120, 34  # from here the map fits beside the party
NARROW_WIDTH = 100  # below this the party panel narrows


@dataclass
class AppOptions:
    seed: int
    name: str | None = None
    new: bool = False  # skip the title screen
    saves_dir: Path | None = None  # None: nothing is saved
    watch: bool = False  # reload the story when its files change
    light: bool = False
    replay: Run | None = None  # open in replay mode
    theme: str | None = None  # from the config file; --light wins
    config: Path | None = None  # remember theme changes in this config file (None: do not)


class HyosanApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "Hyosan"
    BINDINGS = [
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        Binding("f1", "help", "Help", show=False),
    ]

    def __init__(self, story: Story, options: AppOptions) -> None:
        super().__init__()
        self.story = story
        self.options = options
        self._session: Session | None = None
        # what the play screen says above the scene until the next choice (a run that
        # moved to a new slot, say): in the UI, not only in a toast
        self.notice: str | None = None
        self._profile = Profile()  # when nothing is saved, the profile lives this long
        self.last_result: RunResult | None = None
        self.map_shown = False
        self.games_started = 0
        self._story_mtimes: dict[str, int] = {}
        self._too_small: TooSmallScreen | None = None
        if options.light:
            self.theme = "textual-light"
        elif options.theme in self.available_themes:
            self.theme = options.theme
        self._remembered_theme = self.theme
        self._collector = CollectorHold()

    # -- the collector held off until the next frame (collector.py) -----------------

    async def _process_messages(self, *args: Any, **kwargs: Any) -> None:
        # Textual's message loop: the app's start up to its first frame, and its end
        self._collector.hold()
        try:
            await super()._process_messages(*args, **kwargs)
        finally:
            self._collector.release()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseUp)):
            self._collector.hold()
        await super().on_event(event)

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        # Textual hands each frame to the terminal here (headless too)
        super()._display(screen, renderable)
        if renderable is not None and not self._batch_count and self._collector.held:
            self._collector.release()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast is plain text: messages carry slot names, paths and story text,
        where `[bold]` must not style and an escape sequence must not reach the terminal."""
        message, title = clean(message), clean_name(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    @property
    def session(self) -> Session | None:
        return self._session

    @session.setter
    def session(self, session: Session | None) -> None:
        """Autosaves go to a background writer so a choice never waits on the disk;
        the previous session's pending saves are finished first, so they stay in order."""
        if self._session is not None and self._session is not session:
            self._session.flush()
        if session is not None:
            session.on_background_error = self._report_save_error
        self._session = session

    @property
    def state(self) -> GameState | None:
        """The session's state (not a copy)."""
        return self._session.state if self._session is not None else None

    def _autosave_if_current(self, session: Session) -> None:
        # a new game started since is saving to the same slot: leave the old run be
        if session is self._session:
            session.autosave()

    def _report_save_error(self, error: str) -> None:
        # called on the writer thread
        self.call_from_thread(self.notify, error, title="Autosave failed", severity="error")

    def on_unmount(self) -> None:
        if self._session is not None:
            self._session.flush()

    # -- start ---------------------------------------------------------------------

    def on_mount(self) -> None:
        self.update_layout_classes()
        if self.options.replay is not None:
            self.open_replay(self.options.replay)
        elif self.options.new:
            self.start_game(self.options.name)
        else:
            self.push_screen(TitleScreen())
        if self.options.watch:
            self._story_mtimes = story_mtimes(self.story)
            self.set_interval(1.0, self.poll_story)
        self.theme_changed_signal.subscribe(self, self.remember_theme)

    def show_screen(self, screen: Screen[None]) -> None:
        """Replace the current top screen (title, play, ending, replay) with another."""
        modals = (HelpScreen, QuitScreen, SaveScreen, LoadScreen, NameScreen, ConfirmScreen)
        while isinstance(self.screen, modals):
            self.pop_screen()
        small = self._too_small is not None and self.screen is self._too_small
        if small:  # the notice stays on top of whatever comes: the screen goes under it
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        if small:
            self._too_small = TooSmallScreen()
            self.push_screen(self._too_small)

    def start_game(self, name: str | None) -> None:
        seed = self.options.seed if self.games_started == 0 else random.SystemRandom().randrange(1 << 31)
        self.games_started += 1
        # the name goes into saves and story text: keep it to one line of printable text
        clean = clean_name(name or "") or None
        self.notice = None
        self.session = Session.new(self.story, seed, clean, self.options.saves_dir, self.fresh_slot())
        error = self.session.autosave()
        if error:
            self.notify(error, title="Not saved", severity="error")
        self.show_session()

    def fresh_slot(self) -> str:
        """A new run's own autosave slot; the oldest autosaves beyond the newest
        KEEP_AUTOSAVES go (the player was asked first: `action_new_game`)."""
        saves_dir = self.options.saves_dir
        slot = new_autosave_slot(saves_dir)
        if saves_dir is not None:
            prune_autosaves(saves_dir, KEEP_AUTOSAVES - 1)
        return slot

    def show_session(self) -> None:
        assert self.session is not None
        if self.session.ended:
            self.last_result = self.count_run()
            self.show_screen(EndingScreen())
        else:
            self.show_screen(PlayScreen())

    # -- the profile (reasons to play again) -----------------------------------------

    def profile(self) -> Profile:
        if self.options.saves_dir is None:
            return self._profile
        return load_profile(profile_path(self.options.saves_dir))

    def count_run(self) -> RunResult | None:
        """A run that reached an ending goes into the profile (once per run)."""
        session = self.session
        if session is None:
            return None
        run = session.run
        profile = self.profile()
        result = profile.record(self.story, session.state, f"{run.created} {run.seed} {run.player_name}")
        if self.options.saves_dir is None:
            self._profile = profile
            return result
        try:
            save_profile(profile_path(self.options.saves_dir), profile)
        except OSError as exc:
            self.notify(f"cannot save your profile: {exc.strerror or exc}", severity="error")
        return result

    def action_endings(self) -> None:
        self.push_screen(EndingsScreen())

    def action_replay_this_run(self) -> None:
        if self.session is not None:
            self.open_replay(self.session.run)

    # -- playing -------------------------------------------------------------------

    @on(ChoiceRequested)
    def choice_requested(self, message: ChoiceRequested) -> None:
        self.take_choice(message.index)

    @on(UndoRequested)
    def undo_requested(self) -> None:
        self.action_undo()

    def take_choice(self, index: int) -> None:
        session = self.session
        if session is None or session.ended:
            return
        views = session.choices()
        if not 0 <= index < len(views):
            return
        view = views[index]
        if not view.available:
            self.bell()  # the list already shows what it needs
            return
        self.notice = None
        # the autosave is queued once the new scene is on screen: serializing the run
        # competes with the redraw for the interpreter even on the writer thread. What
        # happened (bites, turns, who joined) is in the scene's event lines: no toast.
        _events, error = session.choose(view, save=False)
        self.call_after_refresh(self._autosave_if_current, session)
        if error:
            self.notify(error, title="Autosave failed", severity="error")
        if session.ended:
            self.show_session()

    def action_undo(self) -> None:
        session = self.session
        if session is None or not session.can_undo:
            self.notify("Nothing to undo.")
            return
        was_ended = session.ended
        error = session.undo()
        if error:
            self.notify(error, title="Autosave failed", severity="error")
        if was_ended:
            self.show_session()

    # -- title menu ----------------------------------------------------------------

    def action_new_game(self) -> None:
        def chosen(name: str | None) -> None:
            if name is not None:
                self.start_game(name)

        def ask_name(go: bool | None = True) -> None:
            if go:
                self.push_screen(NameScreen(self.options.name or self.story.player_name), chosen)

        doomed = self.autosaves_a_new_run_removes()
        if not doomed:
            ask_name()
            return
        runs = "; ".join(self.describe(path) for path in doomed[:3])
        more = f" and {len(doomed) - 3} more" if len(doomed) > 3 else ""
        self.push_screen(
            ConfirmScreen(
                f"A new run keeps the last {KEEP_AUTOSAVES} runs' autosaves: the oldest goes "
                f"({runs}{more}). Save it to a named slot first to keep it. Start a new run?",
                yes="New run",
            ),
            ask_name,
        )

    def autosaves_a_new_run_removes(self) -> list[Path]:
        if self.options.saves_dir is None:
            return []
        return autosave_paths(self.options.saves_dir)[KEEP_AUTOSAVES - 1 :]

    def describe(self, path: Path) -> str:
        try:
            return describe_run(load_run(path), self.story)
        except SaveError:
            return f"{path.name}, damaged"

    def autosave_path(self) -> Path | None:
        return latest_autosave(self.options.saves_dir)

    def action_continue(self) -> None:
        path = self.autosave_path()
        if path is None:
            self.notify("There is no autosave yet.")
            return
        self.load_path(path)

    def saves(self) -> list:  # type: ignore[type-arg]
        if self.options.saves_dir is None:
            return []
        try:
            return list_saves(self.options.saves_dir, self.story)
        except (SaveError, OSError) as exc:
            self.notify(str(exc), title="Cannot list saves", severity="error")
            return []

    def action_load(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None:
                self.load_path(path)

        self.push_screen(LoadScreen(self.saves(), story=self.story), chosen)

    def read_run(self, path: Path) -> Run | None:
        try:
            return load_run(path)
        except (SaveError, OSError) as exc:
            self.notify(str(exc), title="Cannot load", severity="error")
            return None

    def load_path(self, path: Path) -> None:
        """Play on with a saved run. Never writes over another run: an autosave that
        replays whole goes on in its own slot; a named save, or a run that no longer fits
        the story, goes on in a new autosave slot and the saved file stays as it is."""
        run = self.read_run(path)
        if run is None:
            return
        session, result = Session.from_run(self.story, run, self.options.saves_dir)
        slot = slot_of(path)
        same_folder = (
            self.options.saves_dir is not None
            and path.parent.resolve() == Path(self.options.saves_dir).resolve()
        )
        if result.verified and same_folder and is_autosave(slot):
            session.autosave_slot = slot
            self.notice = None
        else:
            session.autosave_slot = self.fresh_slot()
            self.notice = None
            if not result.verified:
                why = result.divergence or "the replay does not match the saved state"
                self.notice = (
                    f"The story changed since this run was saved: {why}. The saved run stays whole "
                    f"in {slot}; you play on from step {len(session.run.steps)} as a new run "
                    f"(autosaved as {session.autosave_slot})."
                )
        self.session = session
        self.show_session()

    def action_replay_pick(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None and (run := self.read_run(path)) is not None:
                self.open_replay(run)

        self.push_screen(LoadScreen(self.saves(), title="Replay a run", story=self.story), chosen)

    def open_replay(self, run: Run) -> None:
        self.show_screen(ReplayScreen(run, replay(self.story, run)))

    def take_over(self, run: Run, result: Replay, index: int) -> None:
        """From a replay: play on from step `index` as a new run, in a slot of its own
        (the replayed save is not touched)."""
        session = Session.from_replay(self.story, run, result, index, self.options.saves_dir)
        session.autosave_slot = self.fresh_slot()
        self.session = session
        error = session.autosave()
        if error:
            self.notify(error, title="Not saved", severity="error")
        self.notice = f"You play on from step {index} of the replay as a new run."
        self.show_session()

    # -- saving, help, quitting ----------------------------------------------------

    def action_save(self) -> None:
        session = self.session
        if session is None:
            return

        def write(slot: str) -> None:
            if self.session is None:
                return
            error = self.session.save(slot)
            if error:
                self.notify(error, title="Not saved", severity="error")
            else:
                self.notify(f"Saved to {slot}.")

        def chosen(slot: str | None) -> None:
            if slot is None or self.session is None:
                return
            other = self.other_run_in(slot)
            if other is None:
                write(slot)
                return
            self.push_screen(
                ConfirmScreen(f"Slot {slot} holds another run ({other}). Replace it?", yes="Replace"),
                lambda yes: write(slot) if yes else None,
            )

        self.push_screen(SaveScreen(), chosen)

    def other_run_in(self, slot: str) -> str | None:
        """What the slot holds when that is not this run (None: empty, or this run)."""
        if self.options.saves_dir is None or self.session is None:
            return None
        try:
            path = slot_path(self.options.saves_dir, slot)
        except SaveError:
            return None
        if not path.exists():
            return None
        try:
            saved = load_run(path)
        except SaveError:
            return "a damaged save"
        mine = self.session.run
        ours = [(s.scene, s.choice) for s in mine.steps]
        theirs = [(s.scene, s.choice) for s in saved.steps]
        shorter = min(len(ours), len(theirs))
        identity = (mine.seed, mine.player_name, mine.created)
        same_start = (saved.seed, saved.player_name, saved.created) == identity
        if same_start and ours[:shorter] == theirs[:shorter] and len(ours) >= len(theirs):
            return None  # this run, saved earlier: saving again only adds steps
        return describe_run(saved, self.story)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_quit_confirm(self) -> None:
        if isinstance(self.screen, QuitScreen):
            return

        def chosen(answer: bool | None) -> None:
            if answer:
                self.exit(0)

        self.push_screen(QuitScreen(), chosen)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-dark" if self.theme == "textual-light" else "textual-light"

    def remember_theme(self, theme: object) -> None:
        """ctrl+t or the palette's theme picker: keep the choice in the config file."""
        if self.options.config is None or self.theme == self._remembered_theme:
            return
        from ..config import remember

        self._remembered_theme = self.theme
        error = remember("theme", self.theme, self.options.config)
        if error:
            self.notify(error, title="Theme not remembered", severity="warning")

    async def action_quit(self) -> None:
        """Textual's own Quit (ctrl+q, the palette's entry) asks first, like `q`."""
        self.action_quit_confirm()

    def action_command_palette(self) -> None:
        # one palette at a time: one left under the too-small screen would be pushed
        # twice (DuplicateIds), and nothing fits while the terminal is too small
        if isinstance(self.screen, TooSmallScreen) or any(
            isinstance(screen, CommandPalette) for screen in self.screen_stack
        ):
            return
        super().action_command_palette()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # Textual's Quit leaves at once: ours asks; one entry each
        yield from (c for c in super().get_system_commands(screen) if c.title != "Quit")
        yield SystemCommand("New game", "Start a new run", self.action_new_game)
        yield SystemCommand("Load", "Load a saved run", self.action_load)
        yield SystemCommand("Replay a run", "Watch a saved run play itself", self.action_replay_pick)
        yield SystemCommand("Help", "Every key", self.action_help)
        yield SystemCommand("Endings", "The endings you found, and hints for the rest", self.action_endings)
        yield SystemCommand("Light or dark", "Switch the colours", self.action_toggle_theme)
        yield SystemCommand("Quit", "Leave the game (asks first)", self.action_quit_confirm)
        if self.session is not None:
            yield SystemCommand("Save", "Save this run to a named slot", self.action_save)
            yield SystemCommand("Undo", "Back one choice", self.action_undo)
            if isinstance(screen, PlayScreen):
                yield SystemCommand("Map", "Show or hide the map", screen.action_toggle_map)

    # -- layout --------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        # this runs before App._on_resize records the new size: use the event's
        self.update_layout_classes(event.size.width, event.size.height)

    def update_layout_classes(self, width: int | None = None, height: int | None = None) -> None:
        if width is None or height is None:
            width, height = self.size
        self.set_class(width < NARROW_WIDTH, "-narrow")
        wide = width >= WIDE_WIDTH and height >= WIDE_HEIGHT
        self.set_class(wide, "-wide")
        self.set_class(not wide, "-compact")
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and self._too_small is None:
            self._too_small = TooSmallScreen()
            self.push_screen(self._too_small)
        elif not small and self._too_small is not None:
            if self.screen is self._too_small:
                self.pop_screen()
            self._too_small = None

    # -- live reload (--watch) -----------------------------------------------------

    def poll_story(self) -> None:
        # one look at a time: a poll that lands while a reload is still reading the files
        # skips its turn (an exclusive worker would cancel the reload in flight instead)
        if any(w.group == "watch" and not w.is_finished for w in self.workers):
            return
        self.check_story_files()

    @work(thread=True, group="watch")
    def check_story_files(self) -> None:
        mtimes = story_mtimes(self.story)
        if mtimes == self._story_mtimes:
            return
        self._story_mtimes = mtimes
        from ..engine.loader import load_story

        result = load_story(self.story.root)
        self.call_from_thread(self.story_reloaded, result)

    def story_reloaded(self, result: object) -> None:
        from ..engine.loader import LoadResult

        assert isinstance(result, LoadResult)
        if not result.ok or result.story is None:
            first = result.errors[0] if result.errors else "unknown error"
            self.notify(
                f"{first}",
                title="The edited story has errors; still playing the old one",
                severity="error",
                timeout=10,
            )
            return
        self.story = result.story
        session = self.session
        if session is None:
            self.notify("Story reloaded.")
            return
        old_slot = session.autosave_slot
        if self.options.saves_dir is not None:
            session.flush()  # the saved run is complete before it is replayed elsewhere
        divergence = session.restory(result.story)
        if divergence:
            # the run was cut back to the last step that fits: it goes on in a new slot,
            # and the autosave of the whole run stays as it was
            session.autosave_slot = self.fresh_slot()
            self.notice = (
                f"The edited story no longer fits your run: {divergence}. You stay on the last "
                f"step that fits, as a new run (autosaved as {session.autosave_slot}); "
                f"the whole run stays in {old_slot}."
            )
        else:
            self.notify("Story reloaded; your run replayed onto it.")
        if session.ended or isinstance(self.screen, EndingScreen):
            self.show_session()
        elif isinstance(self.screen, PlayScreen):
            self.screen.redraw()  # the notice, set after the session's own change


def story_mtimes(story: Story) -> dict[str, int]:
    """Modification times of the story's YAML files, by path."""
    out: dict[str, int] = {}
    root = story.root
    if not root:
        return out
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith((".yaml", ".yml")):
                path = os.path.join(folder, name)
                try:
                    out[path] = os.stat(path).st_mtime_ns
                except OSError:
                    continue
    return out


def create_app(story: Story, options: AppOptions) -> HyosanApp:
    """The one place the App is built: the CLI and the tests both come here."""
    # The story is hundreds of thousands of objects that live as long as the app: move
    # them out of the collector's sight so a full collection never stalls a keypress.
    # No gc.collect() first: over the loaded bundled story it finds nothing to free
    # (the loader builds acyclic trees) and took 0.1-1 s before the first screen, where
    # freeze alone moves the generations' lists in O(1).
    gc.freeze()
    return HyosanApp(story, options)


def options_from_args(args: argparse.Namespace, seed: int) -> AppOptions:
    from ..config import load_config
    from ..paths import default_saves_dir

    config = load_config()
    if config.theme is not None and config.theme not in BUILTIN_THEMES:
        print(f"hyosan: {config.path}: no theme called {config.theme!r}; using the default", file=sys.stderr)
    saves = getattr(args, "saves", None)
    return AppOptions(
        seed=seed,
        name=getattr(args, "name", None),
        new=bool(getattr(args, "new", False)),
        saves_dir=Path(saves) if saves else default_saves_dir(),
        watch=bool(getattr(args, "watch", False)),
        light=bool(getattr(args, "light", False)),
        theme=config.theme,
        config=config.path,
    )


def run_app(story: Story, args: argparse.Namespace, seed: int) -> int:
    app = create_app(story, options_from_args(args, seed))
    return int(app.run() or 0)


def run_replay(story: Story, run: Run, args: argparse.Namespace) -> int:
    options = options_from_args(args, run.seed)
    options.replay = run
    app = create_app(story, options)
    return int(app.run() or 0)
