"""The garbage collector is held off while a key is handled and drawn, and on again
once its frame is out (game/tui/collector.py); never left off by the app."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest

from game.session import Session
from game.tui.app import HyosanApp
from game.tui.collector import CollectorHold
from game.tui.screens.play import PlayScreen

Factory = Callable[..., HyosanApp]


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_hold_switches_back_only_what_it_switched_off() -> None:
    hold = CollectorHold()
    hold.hold()
    assert not gc.isenabled()
    hold.hold()  # twice: still one hold
    hold.release()
    assert gc.isenabled()
    hold.release()
    assert gc.isenabled()
    gc.disable()
    try:
        hold.hold()
        hold.release()
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


async def test_a_choice_is_taken_and_drawn_with_the_collector_off(
    make_app: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    choose = Session.choose

    def spy(self: Session, *args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return choose(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Session, "choose", spy)
    drawn: list[bool] = []
    redraw = PlayScreen.redraw

    def redraw_spy(self: PlayScreen) -> None:
        drawn.append(gc.isenabled())
        redraw(self)

    monkeypatch.setattr(PlayScreen, "redraw", redraw_spy)
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert gc.isenabled()  # on again after the first frame
        drawn.clear()
        await pilot.press("1")
        await pilot.pause()
        assert seen == [False]
        assert drawn == [False]
        assert gc.isenabled()  # the frame is out: collecting again
        await pilot.press("down")
        await pilot.pause()
        assert gc.isenabled()
    assert gc.isenabled()


async def test_the_app_never_leaves_the_collector_off(make_app: Factory) -> None:
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)):
        app._collector.hold()  # as a key that draws nothing leaves it until the next frame
        assert not gc.isenabled()
    assert gc.isenabled()  # the app stopped: on again


async def test_a_collector_off_before_the_app_stays_off(make_app: Factory) -> None:
    gc.disable()
    app = make_app(new=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert not gc.isenabled()
    assert not gc.isenabled()
    gc.enable()
