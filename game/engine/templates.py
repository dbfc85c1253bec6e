"""Templates: the words of scenes, labels, outcomes and fates, compiled once at load time
and rendered against a state.

`compile_text` turns a source string into parts with `textvar.parse`, deciding here what
each `{key}` means; every unknown key, form or member comes back as a `TemplateError`
with its offset in the source. `render` is the engine's one renderer.

    {player} {on-jo} {who}               names
    {item:arrows} {counter:rage}         counts
    {time} {day} {daypart} {date}        the clock ("14:05", "3", "afternoon", "Wednesday 4 March")
    {they:who} {Their:su-hyeok} ...      pronouns and verb agreement (see `pronouns`)
    {died_at:gyeong-su} {day_bitten:player} {bitten_by:who} {fate:who}   the run's memory
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import history, textvar
from .clock import day_of, time_of_day
from .diagnostics import did_you_mean
from .model import PLAYER, WHO
from .numbers import number_words
from .pronouns import FORM_KEYS, form_key, word
from .textvar import TemplateError
from .timeofday import date_words, daypart

if TYPE_CHECKING:
    from .model import Story

SIMPLE = ("player", "time", "day", WHO, "daypart", "date")
COUNTS = ("item", "counter")
# key -> (history kind, what to print): at = the place's words, day, by = the biter's name
HISTORY_KEYS: dict[str, tuple[str, str]] = {
    "bitten_at": ("bitten", "at"),
    "turned_at": ("turned", "at"),
    "died_at": ("died", "at"),
    "lost_at": ("missing", "at"),
    "day_bitten": ("bitten", "day"),
    "day_turned": ("turned", "day"),
    "day_died": ("died", "day"),
    "day_lost": ("missing", "day"),
    "bitten_by": ("bitten", "by"),
    "fate": ("", "fate"),
}
_KINDS_WITH_MEMBER = (*FORM_KEYS, *HISTORY_KEYS)
_WORD_COUNTS = frozenset(f"{kind}:{style}" for kind in COUNTS for style in ("words", "Words"))
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


@dataclass(frozen=True, slots=True)
class Say:
    """A lookup about one member: a pronoun form or a history fact."""

    kind: str  # "pronoun" or a HISTORY_KEYS key
    member: str
    form: str = ""
    capital: bool = False


def _is_id(text: str) -> bool:
    return bool(text) and set(text) <= _ID_CHARS and not text.startswith("-") and not text.endswith("-")


def compile_text(
    source: str,
    ref: Callable[[str, str, int], None],
    condition: textvar.Compile,
    site_key: str = "",
) -> tuple[tuple[Any, ...], list[TemplateError]]:
    """Parts for `source`. `ref(kind, name, offset)` is told every member, item and
    counter named (the checker looks them up once the story is complete);
    `condition(source, offset)` compiles an inline `{if ...}`."""

    def member(name: str, offset: int) -> str:
        if name in (PLAYER, WHO):
            return name
        if not _is_id(name):
            raise TemplateError(f"{name!r} is not a member id", offset)
        ref("member", name, offset)
        return name

    def lookup(key: str, offset: int) -> Any:
        kind, sep, arg = key.partition(":")
        if sep:
            kind = kind.rstrip()
            arg_offset = offset + len(key) - len(arg) + (len(arg) - len(arg.lstrip()))
            arg = arg.strip()
            if kind in COUNTS:
                # `{item:water}` prints 3; `{item:water:words}` prints three (`:Words`, Three)
                name, _, style = arg.partition(":")
                name, style = name.strip(), style.strip()
                if not _is_id(name):
                    raise TemplateError(f"{{{key}}}: {name!r} is not an id", arg_offset)
                if style not in ("", "words", "Words"):
                    raise TemplateError(
                        f"unknown style {style!r} in {{{key}}}" + did_you_mean(style, ["words", "Words"]),
                        arg_offset + len(arg.split(":", 1)[0]) + 1,
                    )
                ref(kind, name, arg_offset)
                return (f"{kind}:{style}" if style else kind, name)
            if kind in HISTORY_KEYS:
                return Say(kind, member(arg, arg_offset))
            found = form_key(kind)
            if found is not None:
                return Say("pronoun", member(arg, arg_offset), found[0], found[1])
            known = [*_KINDS_WITH_MEMBER, *COUNTS]
            if kind[:1].isupper():  # suggest `They're` for `Theyre`
                known = [k[:1].upper() + k[1:] for k in FORM_KEYS]
            raise TemplateError(f"unknown form {kind!r} in {{{key}}}" + did_you_mean(kind, known), offset)
        if key in SIMPLE:
            return (key, "")
        if form_key(key) is not None or key in HISTORY_KEYS:
            raise TemplateError(f"{{{key}}} needs a member: {{{key}:who}} or {{{key}:on-jo}}", offset)
        if _is_id(key):
            ref("member", key, offset)
            return ("name", key)
        raise TemplateError(f"unknown substitution {{{key}}}" + did_you_mean(key, SIMPLE), offset)

    return textvar.parse(source, lookup, condition, site_key)


def render(story: Story, state: Any, parts: tuple[Any, ...]) -> str:
    if len(parts) == 1 and type(parts[0]) is str:
        return str(parts[0])
    out: list[str] = []
    for part in parts:
        kind = type(part)
        if kind is str:
            out.append(part)
        elif kind is tuple and part[0] == "name":  # the most common lookup, inline
            out.append(story.member_name(part[1], state.player_name))
        elif kind is tuple or kind is Say:
            out.append(look(story, state, part))
        else:
            return textvar.render(parts, state, lambda p, s: look(story, s, p))
    return "".join(out)


def look(story: Story, state: Any, part: Any) -> str:
    if type(part) is Say:
        return _say(story, state, part)
    kind, key = part
    if kind == "name":
        return story.member_name(key, state.player_name)
    if kind == "player":
        return str(state.player_name)
    if kind == WHO:
        return story.member_name(state.subject or PLAYER, state.player_name)
    if kind == "item":
        return str(state.inventory.get(key, 0))
    if kind == "counter":
        return str(state.counters.get(key, 0))
    if kind in _WORD_COUNTS:
        store = state.inventory if kind.startswith("item") else state.counters
        said = number_words(store.get(key, 0))
        return said[:1].upper() + said[1:] if kind.endswith("Words") else said
    if kind == "time":
        return time_of_day(state.clock)
    if kind == "day":
        return str(day_of(state.clock))
    if kind == "daypart":
        return daypart(state.clock)
    if kind == "date":
        if story.clock_date is None:
            return f"Day {day_of(state.clock)}"
        return date_words(state.clock, story.clock_date)
    return ""


def _say(story: Story, state: Any, part: Say) -> str:
    mid = (state.subject or PLAYER) if part.member == WHO else part.member
    if part.kind == "pronoun":
        return word(story.pronouns_of(mid), part.form, part.capital)
    if part.kind == "fate":
        return fate_line(story, state, mid)
    happening, what = HISTORY_KEYS[part.kind]
    record = history.last(state.history, happening, mid)
    if record is None:
        return ""
    if what == "at":
        return story.place_words(record.location)
    if what == "day":
        return str(record.day)
    return story.member_name(record.by, state.player_name) if record.by else ""


def fate_line(story: Story, state: Any, member_id: str) -> str:
    """The generated fate line for the ending screen: only what the history says, and
    only what the player could know: a friend who died or turned where the player did
    not see it (on a truck, in a booth, after being lost) "never came back to you", with
    no place or day the player never learned (reader AU read "Hyo-ryeong turned, away
    from you, on day 1" of a turn nobody told them of)."""
    m = state.members.get(member_id)
    record = history.deciding(state.history, member_id)
    name = story.member_name(member_id, state.player_name)
    if m is not None and m.fate in ("dead", "zombie") and not history.saw_the_end(state.history, member_id):
        them = story.pronouns_of(member_id).them
        return f"{name} never came back to you, and nobody you know saw how it ended for {them}."
    their = story.pronouns_of(member_id).their
    line = history.fate_sentence(
        record,
        name,
        story.place_words(record.location) if record is not None else "",
        their,
        bool(m is not None and m.present),
    )
    if record is not None and record.kind == "put-down":
        turn = history.last(state.history, "turned-zombie", member_id)
        if turn is not None:  # "Dae-su turned in the dormitory on day 4 and was put down ..."
            turned = history.fate_sentence(turn, name, story.place_words(turn.location), their, False)
            line = history.put_down_after(turned, record, story.place_words(record.location), turn.day)
    return line
