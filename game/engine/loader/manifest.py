"""The manifest (`story.yaml`): title, start, player, clock, noise, infection, cast,
items, inventory, locations, fates, manifest events and renames."""

from __future__ import annotations

from typing import Any

from ..clock import clock_at, parse_clock
from ..model import DEFAULT_FATES, PLAYER, WHO, Infection, Item, Location, Member, Pos, Template
from ..yamlpos import YMap
from .reader import ID_RE, kind_of
from .scenes import SceneReader

MANIFEST_FIELDS = (
    "format",
    "title",
    "start",
    "baseline_survivors",
    "player",
    "clock",
    "noise",
    "infection",
    "cast",
    "items",
    "inventory",
    "locations",
    "flags",
    "counters",
    "fates",
    "events",
    "renames",
)


def clock_value(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):  # YAML 1.1 reads 08:40 as 520
        return value
    if not isinstance(value, str):
        return None
    parts = parse_clock(value)
    return None if parts is None else clock_at(*parts)


def read_manifest(b: SceneReader, m: YMap) -> dict[str, Any]:
    out: dict[str, Any] = {}
    fmt = m.get("format", 1)
    if fmt != 1:
        b.error(b.vpos(m, "format"), f"unsupported story format {fmt!r} (this engine reads format 1)")
    out["title"] = b.text_value(m, "title", "manifest") or "Untitled"
    start = b.id_value(m, "start", "manifest")
    out["start"] = start or ""
    if start:
        b.refs.uses.append(("scene", start, b.vpos(m, "start")))
    out["baseline_survivors"] = b.int_value(m, "baseline_survivors", "manifest", 6, lo=0)

    player = m.get("player")
    out["player_name"] = "Player"
    out["player_traits"] = frozenset()
    if player is not None:
        pm = b.fields(player, "player", ("default_name", "traits"), (), b.vpos(m, "player"))
        if pm is not None:
            out["player_name"] = b.text_value(pm, "default_name", "player") or "Player"
            out["player_traits"] = frozenset(_names(b, pm, "traits", "player"))

    clock = m.get("clock")
    if clock is not None:
        cm = b.fields(clock, "clock", ("start", "step"), (), b.vpos(m, "clock"))
        if cm is not None:
            if "start" in cm:
                start_clock = clock_value(cm["start"])
                if start_clock is None:
                    b.error(b.vpos(cm, "start"), "clock.start must look like 1d08:40")
                else:
                    out["clock_start"] = start_clock
            out["clock_step"] = b.int_value(cm, "step", "clock", 5, lo=0)

    noise = m.get("noise")
    if noise is not None:
        nm = b.fields(noise, "noise", ("max", "decay_minutes"), (), b.vpos(m, "noise"))
        if nm is not None:
            out["noise_max"] = b.int_value(nm, "max", "noise", 10, lo=1)
            out["noise_decay"] = b.int_value(nm, "decay_minutes", "noise", 30, lo=0)

    out["infection"] = _infection(b, m)

    cast: dict[str, Member] = {}
    raw_cast = m.get("cast")
    if isinstance(raw_cast, YMap):
        for mid, spec in raw_cast.items():
            cpos = b.pos(raw_cast.kpos.get(mid))
            if not isinstance(mid, str) or not ID_RE.match(mid) or mid in (PLAYER, WHO, "all"):
                b.error(cpos, f"cast id {mid!r} is not a usable id")
                continue
            cm = b.fields(
                spec,
                f"cast member {mid!r}",
                ("name", "traits", "with", "hambie", "incubation"),
                ("name",),
                b.pos(raw_cast.vpos.get(mid)),
            )
            if cm is None:
                continue
            name = b.text_value(cm, "name", mid) or mid
            b.refs.define("member", mid, cpos)
            cast[mid] = Member(
                id=mid,
                name=name,
                traits=frozenset(_names(b, cm, "traits", mid)),
                starts_with=b.bool_value(cm, "with", mid, False),
                hambie=b.num_value(cm, "hambie", mid, 0.0),
                incubation=b.num_value(cm, "incubation", mid, 1.0),
            )
    elif raw_cast is not None:
        b.error(b.vpos(m, "cast"), f"cast must be a mapping of member ids, got {kind_of(raw_cast)}")
    out["cast"] = cast

    items: dict[str, Item] = {}
    raw_items = m.get("items")
    if isinstance(raw_items, YMap):
        for iid, spec in raw_items.items():
            ipos = b.pos(raw_items.kpos.get(iid))
            if not isinstance(iid, str) or not ID_RE.match(iid):
                b.error(ipos, f"item id {iid!r} is not an id")
                continue
            im = b.fields(spec, f"item {iid!r}", ("name", "max"), ("name",), b.pos(raw_items.vpos.get(iid)))
            if im is None:
                continue
            mx = b.int_value(im, "max", iid, -1, lo=1) if "max" in im else None
            b.refs.define("item", iid, ipos)
            items[iid] = Item(iid, b.text_value(im, "name", iid) or iid, mx if mx and mx > 0 else None)
    elif raw_items is not None:
        b.error(b.vpos(m, "items"), f"items must be a mapping, got {kind_of(raw_items)}")
    out["items"] = items

    inventory: dict[str, int] = {}
    raw_inv = m.get("inventory")
    if raw_inv is not None:
        for name, n in b.counts(raw_inv, b.vpos(m, "inventory"), "inventory", "item"):
            inventory[name] = n
    out["inventory"] = inventory

    locations: dict[str, Location] = {}
    raw_locs = m.get("locations")
    if isinstance(raw_locs, YMap):
        for lid, spec in raw_locs.items():
            lpos = b.pos(raw_locs.kpos.get(lid))
            if not isinstance(lid, str) or not ID_RE.match(lid):
                b.error(lpos, f"location id {lid!r} is not an id")
                continue
            lm = b.fields(
                spec,
                f"location {lid!r}",
                ("name", "area", "map"),
                ("name", "area"),
                b.pos(raw_locs.vpos.get(lid)),
            )
            if lm is None:
                continue
            where = None
            if "map" in lm:
                raw_map = lm["map"]
                if (
                    isinstance(raw_map, list)
                    and len(raw_map) == 2
                    and all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 32 for v in raw_map)
                ):
                    where = (int(raw_map[0]), int(raw_map[1]))
                else:
                    b.error(
                        b.vpos(lm, "map"), f"location {lid!r}: map must be [x, y] with small whole numbers"
                    )
            b.refs.define("location", lid, lpos)
            locations[lid] = Location(
                lid, b.text_value(lm, "name", lid) or lid, b.id_value(lm, "area", lid) or "world", where
            )
    out["locations"] = locations

    b.declare_flags(m)
    b.declare_counters(m)

    fates: dict[str, Template] = {
        k: _fate_template(b, v, Pos(b.path, 1, 1)) for k, v in DEFAULT_FATES.items()
    }
    raw_fates = m.get("fates")
    if raw_fates is not None:
        fm = b.fields(raw_fates, "fates", tuple(DEFAULT_FATES), (), b.vpos(m, "fates"))
        if fm is not None:
            for key in fm:
                text = b.text_value(fm, key, "fates")
                if text is not None and key in DEFAULT_FATES:
                    fates[key] = _fate_template(b, text, b.vpos(fm, key))
    out["fates"] = fates

    for item, pos in b.items_of(m, "events", "the manifest"):
        event = b.event(item, pos)
        if event is not None:
            b.events.append(event)

    out["scene_renames"], out["choice_renames"] = _renames(b, m)
    return out


def _fate_template(b: SceneReader, text: str, pos: Pos) -> Template:
    return b.template(text.replace("{name}", "{who}"), pos)


def _names(b: SceneReader, m: YMap, key: str, what: str) -> list[str]:
    out: list[str] = []
    for item, pos in b.items_of(m, key, what):
        if isinstance(item, str) and ID_RE.match(item):
            out.append(item)
        else:
            b.error(pos, f"{what}.{key}: {item!r} is not an id")
    return out


def _infection(b: SceneReader, m: YMap) -> Infection:
    raw = m.get("infection")
    if raw is None:
        return Infection()
    im = b.fields(
        raw,
        "infection",
        ("incubation", "hambie_chance", "hambie_modifiers", "hunger"),
        (),
        b.vpos(m, "infection"),
    )
    if im is None:
        return Infection()
    lo, hi = 20, 240
    if "incubation" in im:
        inc = b.fields(
            im["incubation"], "infection.incubation", ("min", "max"), ("min", "max"), b.vpos(im, "incubation")
        )
        if inc is not None:
            lo = b.int_value(inc, "min", "incubation", 20, lo=0)
            hi = b.int_value(inc, "max", "incubation", 240, lo=0)
            if hi < lo:
                b.error(b.vpos(inc, "max"), "incubation.max is below incubation.min")
                hi = lo
    chance = b.num_value(im, "hambie_chance", "infection", 0.05)
    if not 0 <= chance <= 1:
        b.error(b.vpos(im, "hambie_chance"), "hambie_chance must be between 0 and 1")
    hunger = Infection()
    per_hour, rising, crisis, after = (
        hunger.hunger_per_hour,
        hunger.hunger_rising,
        hunger.hunger_crisis,
        hunger.hunger_after_feed,
    )
    if "hunger" in im:
        hm = b.fields(
            im["hunger"],
            "infection.hunger",
            ("per_hour", "rising", "crisis", "after_feed"),
            (),
            b.vpos(im, "hunger"),
        )
        if hm is not None:
            per_hour = b.num_value(hm, "per_hour", "hunger", per_hour)
            rising = b.int_value(hm, "rising", "hunger", rising, lo=0)
            crisis = b.int_value(hm, "crisis", "hunger", crisis, lo=1)
            after = b.int_value(hm, "after_feed", "hunger", after, lo=0)
    return Infection(
        incubation_min=lo,
        incubation_max=hi,
        hambie_chance=chance,
        hambie_modifiers=b.modifiers(im, "hambie_modifiers", "infection"),
        hunger_per_hour=per_hour,
        hunger_rising=rising,
        hunger_crisis=crisis,
        hunger_after_feed=after,
    )


def _renames(b: SceneReader, m: YMap) -> tuple[dict[str, str], dict[str, str]]:
    scenes: dict[str, str] = {}
    choices: dict[str, str] = {}
    raw = m.get("renames")
    if raw is None:
        return scenes, choices
    rm = b.fields(raw, "renames", ("scenes", "choices"), (), b.vpos(m, "renames"))
    if rm is None:
        return scenes, choices
    for key, into in (("scenes", scenes), ("choices", choices)):
        table = rm.get(key)
        if table is None:
            continue
        if not isinstance(table, YMap):
            b.error(b.vpos(rm, key), f"renames.{key} must be a mapping old: new")
            continue
        for old, new in table.items():
            pos = b.pos(table.vpos.get(old))
            if not isinstance(old, str) or not isinstance(new, str):
                b.error(pos, f"renames.{key}: ids must be text")
                continue
            if key == "scenes":
                b.refs.uses.append(("scene", new, pos))
            elif "/" not in old:
                b.error(b.pos(table.kpos.get(old)), "renames.choices keys are scene-id/old-choice-id")
                continue
            into[old] = new
    return scenes, choices
