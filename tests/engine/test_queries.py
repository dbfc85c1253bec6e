"""The history and clock functions of the condition language, on a plain state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.engine.history import Record
from game.engine.queries import FUNCTIONS, build, name_value

AREAS = {"store-room": "school", "bridge": "city", "dorm": "quarantine"}
SCENES = {"a2": "store-room", "a3": "bridge", "ev": "here", "a4": "dorm"}


@dataclass
class S:
    history: tuple[Record, ...] = ()
    visits: dict[str, int] = field(default_factory=dict)
    scene: str = "a2"
    clock: int = 0
    subject: str | None = None


class Ctx:
    location_area = AREAS

    @staticmethod
    def location_of(scene: str, returns: object = ()) -> str:
        loc = SCENES.get(scene, "")
        return "" if loc == "here" else loc


def q(name: str, *args: str) -> Any:
    assert len(args) == len(FUNCTIONS[name][0])
    return build(name, list(args), Ctx())


H = (
    Record("bitten", "gyeong-su", 600, "a2", "store-room", by="na-yeon", seen_by=("player", "on-jo")),
    Record("died", "gyeong-su", 700, "a2", "store-room", seen_by=("player",)),
    Record("bitten", "player", 3000, "a4", "dorm", concealed=True),
    Record("turned-hambie", "nam-ra", 1500, "a3", "bridge"),
)


def test_place_questions() -> None:
    s = S(H)
    assert q("died_at", "gyeong-su", "store-room")(s)
    assert q("died_at", "gyeong-su", "school")(s)
    assert not q("died_at", "gyeong-su", "city")(s)
    assert q("bitten_at", "player", "quarantine")(s)
    assert not q("bitten_at", "player", "school")(s)
    assert q("turned_at", "nam-ra", "bridge")(s)
    assert not q("lost_at", "nam-ra", "bridge")(s)


def test_who_is_the_subject() -> None:
    assert q("died_at", "who", "store-room")(S(H, subject="gyeong-su"))
    assert not q("died_at", "who", "store-room")(S(H, subject="nam-ra"))
    assert q("saw", "who", "bitten", "gyeong-su")(S(H, subject="on-jo"))


def test_witness_biter_hidden_and_days() -> None:
    s = S(H)
    assert q("saw", "on-jo", "bitten", "gyeong-su")(s)
    assert not q("saw", "on-jo", "died", "gyeong-su")(s)
    assert q("saw", "player", "died", "gyeong-su")(s)
    assert q("bitten_by", "gyeong-su", "na-yeon")(s)
    assert not q("bitten_by", "gyeong-su", "on-jo")(s)
    assert q("hid_bite", "player")(s) and not q("hid_bite", "gyeong-su")(s)
    assert q("day_of", "bitten", "player")(s) == 3
    assert q("day_of", "turned", "nam-ra")(s) == 2
    assert q("day_of", "died", "nam-ra")(s) == 0


def test_route_memory() -> None:
    s = S(visits={"a2": 1, "ev": 3})
    assert q("been", "store-room")(s) and q("been", "school")(s)
    assert not q("been", "city")(s) and not q("been", "bridge")(s)
    assert q("been", "city")(S(visits={"a3": 1}))


def test_clock_and_visit_names() -> None:
    assert q("daypart", "afternoon")(S(clock=2 * 1440 + 14 * 60))
    assert not q("daypart", "morning")(S(clock=2 * 1440 + 14 * 60))
    assert name_value("time")(S(clock=2 * 1440 + 14 * 60 + 5)) == 845
    assert name_value("visit")(S(visits={"a2": 3})) == 3
    assert name_value("visit")(S(visits={"a3": 3})) == 0
