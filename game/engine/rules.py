"""The rules: start a run, list choices, take one. Pure functions of (story, state).

    state = new_game(story, seed=3, player_name="Ha-neul")
    for view in choices(story, state): ...
    state, events = choose(story, state, "barricade-door")

Same story + seed + choice ids give the identical state, every time: all randomness is
drawn from the state's own RNG.

Over 400 lines, on purpose for now: one step (choose -> effects -> clock -> events) reads
top to bottom here, and issue 9's history, time-of-day and text-variation work lands in
this file's effect functions and `render` while this split is merged. The seams for a
later split are marked: rendering, events (`_finish`, `_next_event`, `_match`) and
effects (`apply_effect` and its table `_APPLY`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from . import expr, infection, templates, textplan, timeofday
from .effects import (
    AddCounter,
    Advance,
    Bite,
    ClearFlag,
    Conditional,
    Effect,
    Feed,
    Give,
    Heal,
    Injure,
    Join,
    Kill,
    Leave,
    Noise,
    Reveal,
    Separate,
    SetCounter,
    SetFlag,
    Take,
    Turn,
)
from .history import note, saw_the_end
from .model import HERE, PLAYER, Choice, Ending, EventRule, Scene, Story, Template, Text
from .state import Event, GameState, MemberState, seed_to_rng
from .timeofday import minutes_until
from .work import Work


class ChoiceError(ValueError):
    """The choice id does not name an available choice of the current scene."""


class ChoiceView(NamedTuple):
    """A choice as the player sees it: available, or locked with a reason."""

    id: str
    label: str
    available: bool
    reason: str = ""
    roll: bool = False


@dataclass(frozen=True, slots=True)
class Fate:
    member: str
    name: str
    status: str
    line: str


# -- starting -------------------------------------------------------------------------


def new_game(story: Story, seed: int = 0, player_name: str | None = None) -> GameState:
    members = {PLAYER: MemberState(where="party", met=True)}
    for mid, member in story.cast.items():
        members[mid] = MemberState(where="party" if member.starts_with else "away", met=member.starts_with)
    state = GameState(
        scene=story.start,
        seed=seed,
        rng=seed_to_rng(seed),
        player_name=(player_name or "").strip() or story.player_name,
        clock=story.clock_start,
        members=members,
        inventory=dict(story.inventory),
        counters={k: v for k, v in story.counters.items() if v},
    )
    w = Work(story, state)
    _enter(w, story.start)
    _finish(w)
    return w.freeze()


# -- reading the state ----------------------------------------------------------------


def current_scene(story: Story, state: GameState) -> Scene:
    return story.scenes[state.scene]


def location(story: Story, state: GameState) -> str:
    """Where the player is: the scene's location, or for a `location: here` event
    scene, the location of the scene it interrupted."""
    return story.location_of(state.scene, state.returns)


def is_ended(story: Story, state: GameState) -> bool:
    scene = story.scenes.get(state.scene)
    return scene is None or scene.ending is not None


def ending(story: Story, state: GameState) -> Ending | None:
    scene = story.scenes.get(state.scene)
    return scene.ending if scene else None


def render(story: Story, state: GameState | Work, template: Template) -> str:
    parts = template.parts
    if len(parts) == 1 and type(parts[0]) is str:  # most labels: no lookup at all
        return str(parts[0])
    return templates.render(story, state, parts)


def clock_label(story: Story, state: GameState) -> str:
    """The clock as the current scene's header shows it (its `clock:` mode)."""
    scene = story.scenes.get(state.scene)
    return timeofday.clock_label(state.clock, scene.clock if scene else "time", story.clock_date)


def render_text(story: Story, state: GameState | Work, text: Text) -> str:
    paragraphs: list[str] = []
    for block in text.blocks:
        chosen = block.text
        if block.when is not None and not block.when.evaluate(state):
            if block.otherwise is None:
                continue
            chosen = block.otherwise
        rendered = render(story, state, chosen).strip()
        if rendered:
            paragraphs.append(rendered)
    return "\n\n".join(paragraphs)


def render_blocks(story: Story, state: GameState | Work, text: Text) -> list[tuple[int, str]]:
    """(block index, rendered paragraph) for each block a reader sees, in order: the
    pieces `render_text` joins. Tools map the index back to the block's source."""
    shown: list[tuple[int, str]] = []
    for i, block in enumerate(text.blocks):
        chosen = block.text
        if block.when is not None and not block.when.evaluate(state):
            if block.otherwise is None:
                continue
            chosen = block.otherwise
        rendered = render(story, state, chosen).strip()
        if rendered:
            shown.append((i, rendered))
    return shown


def scene_text(story: Story, state: GameState) -> str:
    """`render_text` of the scene's text. From a scene's `PLAN_AFTER`th showing on, through
    its plan (`textplan`): the blocks no state can change are rendered once per player
    name. Until then it renders directly: making a plan costs about three direct
    renderings and saves about a third of one per showing, so it pays only for a scene
    shown often (most scenes of a large story are shown a few times per process)."""
    plans = story.engine_cache.get("text")
    if plans is None:
        plans = story.engine_cache.setdefault("text", {})
    p = plans.get(state.scene, 0)
    if type(p) is int:
        if p < PLAN_AFTER:
            plans[state.scene] = p + 1
            return render_text(story, state, story.scenes[state.scene].text)
        p = plans[state.scene] = textplan.plan(story.scenes[state.scene].text)
    return textplan.render(story, state, p)


PLAN_AFTER = 8  # showings of a scene rendered directly before its text is planned


def choices(story: Story, state: GameState) -> list[ChoiceView]:
    """The choices the player sees, in story order: available ones and locked ones."""
    scene = story.scenes.get(state.scene)
    if scene is None or scene.ending is not None:
        return []
    views: list[ChoiceView] = []
    available: dict[str, Choice] = {}
    taken = state.taken
    # `_shown`, `_locked_reason` and `render` written out: this loop runs for every
    # choice of every scene shown
    for choice in scene.choices:
        if choice.once and f"{scene.id}/{choice.id}" in taken:
            continue
        shown_if = choice.shown_if
        if shown_if is not None and not shown_if.evaluate(state):
            continue
        reason = None
        for req in choice.requires:
            if not req.when.evaluate(state):
                reason = req.reason
                break
        else:
            available[choice.id] = choice  # ids are unique in a scene (the loader checks)
        parts = choice.label.parts
        if len(parts) == 1 and type(parts[0]) is str:
            label: str = parts[0]
        else:
            label = templates.render(story, state, parts)
        views.append(_view(ChoiceView, (choice.id, label, reason is None, reason or "", bool(choice.roll))))
    global _listed
    _listed = (story, state, available)
    return views


# The choices the last `choices` call found available, and the story and state it was
# asked about: `choose` on that same state (immutable, held here so its id is not
# reused) need not check them again.
_listed: tuple[Story | None, GameState | None, dict[str, Choice]] = (None, None, {})


_view = tuple.__new__  # ChoiceView(...) without its Python-level __new__ (all five given)


def _shown(scene: Scene, choice: Choice, state: GameState) -> bool:
    if choice.once and f"{scene.id}/{choice.id}" in state.taken:
        return False
    return choice.shown_if is None or choice.shown_if.evaluate(state)


def _locked_reason(choice: Choice, state: GameState) -> str | None:
    for req in choice.requires:
        if not req.when.evaluate(state):
            return req.reason
    return None


def survivors(story: Story, state: GameState) -> list[str]:
    """Members alive and with the party (the player included), player first."""
    return [mid for mid in [PLAYER, *story.cast] if (m := state.members.get(mid)) and m.present]


def is_apart(story: Story, state: GameState) -> bool:
    """The current scene is `apart`: the player is away from the party (the hall pass)."""
    scene = story.scenes.get(state.scene)
    return scene is not None and scene.apart


def beside_you(story: Story, state: GameState) -> list[str]:
    """The members with the player in person. Everyone present, except in an `apart`
    scene (the hall pass): there only those who joined the party while the player was
    apart (Hyo-ryeong, found in the infirmary), the others being still upstairs."""
    present = [mid for mid in survivors(story, state) if mid != PLAYER]
    if not is_apart(story, state):
        return present
    joined_apart = set()
    for r in state.history:
        if r.kind == "joined":
            where = story.scenes.get(r.scene)
            if where is not None and where.apart:
                joined_apart.add(r.member)
            else:
                joined_apart.discard(r.member)
    return [mid for mid in present if mid in joined_apart]


def with_you_at_end(story: Story, state: GameState) -> list[str]:
    """Members alive at the end who were the player's party, the player excepted: those
    still in it, and those the ending itself sent on without the player (a `leave` in the
    ending scene: the player died, turned or stayed behind)."""
    here = set(survivors(story, state))
    sent = set(sent_on(story, state))
    return [mid for mid in story.cast if mid in here or mid in sent]


def sent_on(story: Story, state: GameState) -> list[str]:
    """Members alive at the end whom the ending itself sent on without the player (a
    `leave` in the ending scene): the player died, turned, stayed behind or was taken."""
    gone_on = {r.member for r in state.history if r.kind == "left" and r.scene == state.scene}
    members = state.members
    return [mid for mid in story.cast if mid in gone_on and (m := members.get(mid)) is not None and m.alive]


def elsewhere(story: Story, state: GameState) -> tuple[int, int]:
    """Members the player met who are not with the party at the end: how many are known
    to be alive somewhere else (away: left, separated, taken), and how many are missing.
    Those an ending itself sent on without the player are counted by `with_you_at_end`."""
    return _elsewhere(story, state, set(_went_on(story, state, survivors(story, state))))


def _went_on(story: Story, state: GameState, alive: list[str]) -> list[str]:
    """Who the ending counts as gone on without the player: when the player lived, the
    friends the ending sent on; when not, everyone still alive of the player's party."""
    return sent_on(story, state) if PLAYER in alive else with_you_at_end(story, state)


def _elsewhere(story: Story, state: GameState, went_on: set[str]) -> tuple[int, int]:
    """Away counts the living; missing counts whoever the player lost track of and never
    saw the end of, whatever became of them unseen: the fate lines ("never came back to
    you") and the board of the missing say so, and the count must not say otherwise
    (reader BL: Min-jae, lost bitten and turned out of sight, was on the board but not in
    "4 missing")."""
    away = missing = 0
    for mid in story.cast:
        m = state.members.get(mid)
        if m is None or not m.met or m.where == "party" or mid in went_on:
            continue
        if m.where == "missing":
            if m.alive or not saw_the_end(state.history, mid):
                missing += 1
        elif m.alive:
            away += 1
    return away, missing


def survivors_line(story: Story, state: GameState) -> str:
    """The ending screen's count: who is with the player, against the story's baseline
    when the player lived, and plainly, never as a score, when the player did not; then
    who is alive elsewhere or missing, so the count is never read as everyone alive."""
    alive = survivors(story, state)
    baseline = story.baseline_survivors
    went_on = _went_on(story, state, alive)
    away, missing = _elsewhere(story, state, set(went_on))
    rest = [f"{away} more alive elsewhere"] if away else []
    if missing:
        rest.append(f"{missing} missing")
    tail = f"; {' and '.join(rest)}" if rest else ""
    friends = "friend" if len(went_on) == 1 else "friends"
    if PLAYER not in alive:
        if not went_on:
            return f"Survivors: you did not make it{tail}."
        return f"Survivors: you did not make it; {len(went_on)} {friends} went on without you{tail}."
    if went_on:  # taken, or left behind alive: not a count of a party, and never a score
        return f"Survivors: you live, apart from them; {len(went_on)} {friends} went on without you{tail}."
    count = len(alive)
    if count > baseline:
        verdict = f"better than the {baseline} who made it in the story everyone knows"
    elif count == baseline:
        verdict = f"as many as the {baseline} who made it in the story everyone knows"
    else:
        verdict = f"fewer than the {baseline} of the story everyone knows"
    # "4 with you" was read as four besides the player: name the player and count in all
    if count == 1:
        who = "you alone"
    else:
        others = count - 1
        who = f"you and {others} {'friend' if others == 1 else 'friends'}, {count} in all"
    return f"Survivors: {who}, {verdict}{tail}."


def fates(story: Story, state: GameState) -> list[Fate]:
    """One line per member the player met, for the ending screen."""
    end = ending(story, state)
    out: list[Fate] = []
    for mid in [PLAYER, *story.cast]:
        m = state.members.get(mid)
        if m is None or not m.met:
            continue
        status = m.status()
        view = replace(state, subject=mid)
        line = render_text(story, view, end.fates[mid]) if end is not None and mid in end.fates else ""
        if not line.strip():  # no ending line fits this run: the story's line for the status
            key = "alive" if status in ("healthy", "injured", "bitten") else status
            template = story.fates.get(key) or story.fates.get("alive")
            line = render(story, view, template) if template else ""
        out.append(Fate(mid, story.member_name(mid, state.player_name), status, line))
    return out


# -- choosing -------------------------------------------------------------------------


def choose(
    story: Story, state: GameState, choice_id: str, outcome: int | None = None
) -> tuple[GameState, list[Event]]:
    """Take a choice. Returns the new state and what happened on the way.

    `outcome` forces a roll's outcome by index instead of drawing it (for `explore`,
    which walks every outcome); ordinary play leaves it None."""
    listed_story, listed_state, available = _listed
    choice = available.get(choice_id) if listed_state is state and listed_story is story else None
    if choice is not None:  # `choices` has just listed it available for this very state
        scene = story.scenes[state.scene]
    else:
        found = story.scenes.get(state.scene)
        if found is None:
            raise ChoiceError(f"scene {state.scene!r} is not in this story")
        scene = found
        if scene.ending is not None:
            raise ChoiceError("the run has ended")
        choice = scene.choice(choice_id)
        if choice is None or not _shown(scene, choice, state):
            raise ChoiceError(f"scene {scene.id!r} has no choice {choice_id!r}")
        reason = _locked_reason(choice, state)
        if reason is not None:
            raise ChoiceError(f"choice {choice_id!r} is locked: {reason}")

    w = _begin(story, state, scene, choice)
    target, returns = choice.goto, choice.returns
    if choice.roll:
        index = _pick(w, choice) if outcome is None else outcome
        if not 0 <= index < len(choice.roll):
            raise ChoiceError(f"choice {choice_id!r} has no outcome {index}")
        picked = choice.roll[index]
        if picked.text is not None:
            w.emit("outcome", None, render(story, w, picked.text))
        apply_effects(w, picked.effects)
        target, returns = picked.goto, picked.returns
    before = len(w.history)
    infection.tick(w, story.clock_step if choice.time is None else choice.time)
    if len(w.history) > before:
        _place_on_arrival(
            w, before, scene.id, (w.returns[-1] if w.returns else scene.id) if returns else target
        )
    if returns:
        # Back where the event interrupted: the scene is resumed, not entered again, so
        # its on_enter effects do not repeat.
        w.scene = w.mutable_list("returns").pop() if w.returns else scene.id
        w.subject = None
    else:
        if w.returns and scene.id in story.event_scenes:
            w.mutable_list("returns").pop()  # a goto out of an event scene abandons the way back
        _enter(w, target or scene.id)
    arrived = w.scene
    _finish(w)
    passed = w.clock - state.clock
    if (
        w.scene != arrived
        and passed >= SAY_PASSING
        and not any(e.kind in ("outcome", "passing") for e in w.events)
    ):
        # an event interrupts a choice that let hours pass and said nothing: the reader is
        # told the time went by before the event (a turn at 05:30), not after it, where
        # the scene the choice led to tells the night
        w.events.insert(0, Event("passing", None, timeofday.later(passed)))
    events = w.events
    return w.freeze(), events


SAY_PASSING = 180  # minutes: a choice this long, interrupted by an event, gets a caption


def _place_on_arrival(w: Work, start: int, here: str, dest: str | None) -> None:
    """A turn or a death that the choice's time brought happened on the way; the reader
    learns of it where the choice leads (the event scene is headed there), so the history
    says that place too, and the fate line agrees with the header."""
    if not dest or dest == here:
        return
    where = w.story.location_of(dest, w.returns)
    if not where:
        return
    w.history = (
        *w.history[:start],
        *(
            replace(r, scene=dest, location=where) if r.scene == here and r.location else r
            for r in w.history[start:]
        ),
    )


def _begin(story: Story, state: GameState, scene: Scene, choice: Choice) -> Work:
    """The first part of a step, shared by `choose` and `roll_weights`: the choice's own
    text and effects, before any roll is drawn."""
    w = Work(story, state)
    w.turn += 1
    if choice.once:
        w.mutable_set("taken").add(f"{scene.id}/{choice.id}")
    if choice.text is not None:
        w.emit("outcome", None, render(story, w, choice.text))
    if choice.effects:
        apply_effects(w, choice.effects)
    return w


def roll_weights(story: Story, state: GameState, choice_id: str) -> list[float]:
    """The weights `choose` would draw this choice's roll with (after its own effects);
    [] for a choice without a roll. For tools that walk every outcome."""
    scene = story.scenes[state.scene]
    choice = scene.choice(choice_id)
    if choice is None:
        raise ChoiceError(f"scene {scene.id!r} has no choice {choice_id!r}")
    if not choice.roll:
        return []
    return outcome_weights(_begin(story, state, scene, choice), choice)


def outcome_weights(w: Work | GameState, choice: Choice) -> list[float]:
    weights: list[float] = []
    for outcome in choice.roll:
        if outcome.only_if is not None and not outcome.only_if.evaluate(w):
            weights.append(0.0)  # `if:` false: this outcome cannot happen
            continue
        weight = outcome.chance
        for modifier in outcome.modifiers:
            if modifier.when.evaluate(w):
                weight += modifier.add
        weights.append(max(0.0, weight))
    return weights


def _pick(w: Work, choice: Choice) -> int:
    weights = outcome_weights(w, choice)
    total = sum(weights)
    if total <= 0:
        return 0
    point = w.draw() * total
    for i, weight in enumerate(weights):
        point -= weight
        if point < 0:
            return i
    return len(weights) - 1


def _enter(w: Work, scene_id: str) -> None:
    w.scene = scene_id
    w.visits = w.visits.bumped(scene_id)
    scene = w.story.scenes.get(scene_id)
    if scene is not None and scene.on_enter:
        apply_effects(w, scene.on_enter)


def _finish(w: Work) -> None:
    """After a step: hambie senses, then at most one diversion into an event scene.

    Other happenings wait in `pending` until the player is out of the event scene, except
    the player's own turn or death, which interrupt anything."""
    infection.hambie_senses(w)
    scene = w.story.scenes.get(w.scene)
    if scene is None or scene.ending is not None:
        return
    in_event = w.scene in w.story.event_scenes
    fired = _next_event(w, urgent_only=in_event)
    while fired is None and w.resume_at and not in_event:
        # out of a turn's event scene: the rest of the jump the turn stopped goes by
        # now (and may stop again at a second turn)
        left, w.resume_at = w.resume_at - w.clock, 0
        _long_jump(w, left, resumed=True)
        infection.hambie_senses(w)
        fired = _next_event(w, urgent_only=False)
    if fired is None:
        return
    rule, who = fired
    if rule.once:
        w.mutable_set("fired").add(rule.id)
    if rule.returns or ((target := w.story.scenes.get(rule.scene)) is not None and target.location == HERE):
        # a `location: here` scene takes its place from the scene it interrupted, so
        # that scene is kept even when the event does not come back (an ending, a
        # bombing that sends the party elsewhere); a goto out of the event drops it
        w.mutable_list("returns").append(w.scene)
    w.subject = who
    _enter(w, rule.scene)
    entered = w.story.scenes.get(w.scene)
    if entered is not None and entered.ending is not None:
        return  # an ending event scene stands even if its on_enter kills the player
    # the event scene's own on_enter may kill or turn the player
    if any(p == (k, PLAYER) for p in w.pending for k in _URGENT):
        urgent = _next_event(w, urgent_only=True)
        if urgent is not None:
            w.subject = urgent[1]
            _enter(w, urgent[0].scene)


_URGENT = ("turned-zombie", "died")


_WhenRule = tuple[EventRule, Callable[[Any], Any], str | None, float, float, str]


class _WhenRules(NamedTuple):
    """The story's when-rules, worked out once per story: they are checked every step.

    `all` holds each rule with its condition's evaluator, `expr.guard` (the flag that is
    its whole condition, or the clock window outside which it is false) and
    `expr.needs_infection` (false while nobody is a hambie, or bitten), in story order.

    Most rules cannot hold in most states, and a rule that does not hold and was not
    armed needs nothing done: so each rule that has a *gate*, a cheap sign without
    which it is false, is checked only while its gate is open. A rule's gate is a flag
    it requires (`expr.required_flag`: its whole condition, or a part of its chain of
    `and`s), else the infection it needs (someone a hambie, or bitten). `plain` are the
    rules without a gate, always checked. Empty gates when two when-rules share an id
    (`armed` could not say which rule it means): then all are checked, as `plain`."""

    all: tuple[_WhenRule, ...]
    plain: tuple[_WhenRule, ...]  # the rules without a gate, in story order
    plain_at: frozenset[int]  # their places in `all`
    flag_keys: frozenset[str]  # the flags that are some rule's gate
    by_flag: dict[str, tuple[int, ...]]  # gate flag -> the places of the rules it gates
    hambie: tuple[int, ...]  # the places of the rules gated by someone being a hambie
    bitten: tuple[int, ...]  # ... by someone being bitten or a hambie
    at: dict[str, int]  # gated rule id -> its place in `all`


def _when_rules(story: Story) -> _WhenRules:
    found = story.engine_cache.get("when-rules")
    if found is None:
        every = tuple(
            (rule, rule.when.evaluate, *expr.guard(rule.when.source), expr.needs_infection(rule.when.source))
            for rule in story.when_events
            if rule.when is not None
        )
        by_flag: dict[str, list[int]] = {}
        by_infection: dict[str, list[int]] = {"hambie": [], "bitten": []}
        at: dict[str, int] = {}
        if len({entry[0].id for entry in every}) == len(every):
            for i, (rule, _, flag, _, _, needs) in enumerate(every):
                gate = flag or expr.required_flag(rule.when.source)  # type: ignore[union-attr]
                if gate is not None:
                    by_flag.setdefault(gate, []).append(i)
                elif needs:
                    by_infection[needs].append(i)
                else:
                    continue
                at[rule.id] = i
        found = story.engine_cache["when-rules"] = _WhenRules(
            every,
            tuple(entry for entry in every if entry[0].id not in at),
            frozenset(i for i, entry in enumerate(every) if entry[0].id not in at),
            frozenset(by_flag),
            {flag: tuple(places) for flag, places in by_flag.items()},
            tuple(by_infection["hambie"]),
            tuple(by_infection["bitten"]),
            at,
        )
    return found


def _next_event(w: Work, urgent_only: bool = False) -> tuple[EventRule, str | None] | None:
    # when-rules are edge-triggered: remember which were true, queue the ones that rose.
    index = _when_rules(w.story)
    if not index.all and not w.pending:
        return None
    found: infection.Summary | None = None  # who is bitten or a hambie, asked at most once
    # the gated rules whose gate is open: they are checked with the plain ones, in story
    # order; the others are false, and only need disarming if they were armed
    opened: list[int] = []
    if index.flag_keys and not index.flag_keys.isdisjoint(w.flags):  # most steps: shut
        for gate in index.flag_keys.intersection(w.flags):
            opened.extend(index.by_flag[gate])
    if index.hambie or index.bitten:
        found = infection.summary(w)
        if not found.quiet:
            opened.extend(index.bitten)
            if found.hambies:
                opened.extend(index.hambie)
    if opened:
        every = index.all
        checked: Iterable[_WhenRule] = [every[i] for i in sorted(index.plain_at.union(opened))]
    else:
        checked = index.plain
    armed = w.armed
    if armed and index.at:
        open_ = set(opened)
        for rule_id in [r for r in armed if (i := index.at.get(r)) is not None and i not in open_]:
            w.mutable_set("armed").discard(rule_id)  # its gate is shut: it does not hold
        armed = w.armed
    clock = w.clock
    for rule, evaluate, flag, lo, hi, needs in checked:
        if flag is not None:
            now = flag in w.flags
        elif not lo <= clock < hi:
            now = False  # false outside its clock window
        elif needs:  # false while nobody is a hambie (or bitten)
            if found is None:
                found = infection.summary(w)
            now = (found.hambies if needs == "hambie" else not found.quiet) and evaluate(w)
        else:
            now = evaluate(w)
        if now:
            if rule.id not in armed:
                w.mutable_set("armed").add(rule.id)
                armed = w.armed
                if not (rule.once and rule.id in w.fired):
                    # `who: [x]` on a when-event binds `who` to x in its scene
                    w.mutable_list("pending").append(("@" + rule.id, rule.who[0] if rule.who else ""))
        elif rule.id in armed:
            w.mutable_set("armed").discard(rule.id)
            armed = w.armed
    if not w.pending:
        return None
    # the player's own turn or death comes before anything else
    order = sorted(
        range(len(w.pending)),
        key=lambda i: 0 if w.pending[i][1] == PLAYER and w.pending[i][0] in _URGENT else 1,
    )
    for i in order:
        kind, who = w.pending[i]
        if urgent_only and not (who == PLAYER and kind in _URGENT):
            continue
        matched = _match(w, kind, who)
        if matched is None:
            continue
        del w.mutable_list("pending")[i]
        return matched, (who or None)
    if not urgent_only:
        w.mutable_list("pending").clear()  # happenings no event handles are only news
    return None


def _rules_for(story: Story) -> dict[str, tuple[EventRule, ...]]:
    """The story's event rules by what they answer, each list in story order: `on:`
    rules under their kind, every rule under "@" + its id (a when-rule's happening)."""
    found = story.engine_cache.get("events-by-kind")
    if found is None:
        index: dict[str, list[EventRule]] = {}
        for rule in story.events:
            index.setdefault("@" + rule.id, []).append(rule)
            if rule.on is not None and not rule.on.startswith("@"):
                index.setdefault(rule.on, []).append(rule)
        found = story.engine_cache["events-by-kind"] = {k: tuple(v) for k, v in index.items()}
    return found


def _match(w: Work, kind: str, who: str) -> EventRule | None:
    for rule in _rules_for(w.story).get(kind, ()):
        if rule.once and rule.id in w.fired:
            continue
        if rule.who and who not in rule.who:
            continue
        if rule.only_if is not None:
            previous = w.subject
            w.subject = who or previous
            try:
                ok = rule.only_if.evaluate(w)
            finally:
                w.subject = previous
            if not ok:
                continue
        return rule
    return None


# -- effects --------------------------------------------------------------------------


def apply_effects(w: Work, effects: Iterable[Effect]) -> None:
    table = _APPLY
    for effect in effects:
        table[type(effect)](w, effect)


def apply_effect(w: Work, effect: Effect) -> None:
    """Apply one effect: each effect class's rule is one function in `_APPLY`, looked up
    by the effect's type (a `match` tried the classes one by one: ~40% of a step's
    effect time). A test checks the table has every class of `Effect`."""
    _APPLY[type(effect)](w, effect)


def _conditional(w: Work, effect: Conditional) -> None:
    when = effect.when
    ok = when is not None and when.evaluate(w)
    apply_effects(w, effect.then if ok else effect.otherwise)


def _give(w: Work, effect: Give) -> None:
    for item_id, n in effect.items:
        _change_item(w, item_id, n)


def _take(w: Work, effect: Take) -> None:
    for item_id, n in effect.items:
        _change_item(w, item_id, -n)


def _set_flag(w: Work, effect: SetFlag) -> None:
    if not w.flags.issuperset(effect.flags):  # most sets in a long run find the flag set
        w.mutable_set("flags").update(effect.flags)


def _clear_flag(w: Work, effect: ClearFlag) -> None:
    if not w.flags.isdisjoint(effect.flags):
        w.mutable_set("flags").difference_update(effect.flags)


def _add_counter(w: Work, effect: AddCounter) -> None:
    counters = w.mutable_dict("counters")
    for name, n in effect.counters:
        counters[name] = counters.get(name, 0) + n


def _set_counter(w: Work, effect: SetCounter) -> None:
    counters = w.mutable_dict("counters")
    for name, n in effect.counters:
        counters[name] = n


def _noise(w: Work, effect: Noise) -> None:
    w.noise = min(w.story.noise_max, max(0, w.noise + effect.amount))


def _advance(w: Work, effect: Advance) -> None:
    minutes = minutes_until(w.clock, effect.days, effect.at, effect.minutes)
    if minutes < HOLD_JUMP:
        infection.tick(w, minutes)
    elif _diverts(w):  # what this step already did comes first; the jump after it
        w.resume_at = max(w.resume_at, w.clock) + minutes
    else:
        _long_jump(w, minutes)


HOLD_JUMP = 720  # minutes: an `advance` this long waits for the events before and in it


def _long_jump(w: Work, minutes: int, resumed: bool = False) -> None:
    """Pass a long stretch of time (a week in the hills) that may hold a turn: the turn
    (and the event scene that shows it) comes at its own hour, after a caption ("Four
    hours later.", none under 45 minutes), and the rest of the stretch waits
    (`resume_at`) until the run is out of the event scenes (`_finish`, which passes it
    `resumed`: then the time passed is always told). At the jump's end, a turn a few
    hours after a bite was headed ten days later and read as ten days of incubation.
    A turn no event scene shows does not stop the clock."""
    start, mark, stopped = w.clock, len(w.events), False
    while minutes > 0:
        left = infection.tick(w, minutes, hold=True)
        if left and _diverts(w):
            w.resume_at, stopped = w.clock + left, True
            break
        minutes = left
    passed = w.clock - start
    if (stopped or resumed) and passed >= 45:  # under that, what happens simply comes
        w.events.insert(mark, Event("passing", None, timeofday.later(passed)))


def _diverts(w: Work) -> bool:
    """Whether a bite, turn or death of this step is one an event scene will show (a
    hunger crisis is not a moment: over a long jump it may come at any hour, and is
    shown at the jump's end as before)."""
    if w.scene in w.story.event_scenes:
        return any(who == PLAYER and kind in _URGENT for kind, who in w.pending)
    return any(kind in _HOLDS and _match(w, kind, who) is not None for kind, who in w.pending)


_HOLDS = frozenset(("bitten", "turned-zombie", "turned-hambie", "died"))


def _member_or_all(w: Work, effect: Reveal | Heal) -> None:
    """`reveal` and `heal` name one member, or `all`: everyone with the party."""
    if effect.who == "all":
        for mid, member in list(w.members.items()):
            if member.with_party:
                _apply_to_member(w, effect, mid)
    else:
        _apply_to_member(w, effect, w.resolve(effect.who))


def _to_member(w: Work, effect: Bite | Turn | Feed | Join | Leave | Separate | Injure | Kill) -> None:
    _apply_to_member(w, effect, w.resolve(effect.who))


_APPLY: dict[type, Callable[[Work, Any], None]] = {
    Conditional: _conditional,
    Give: _give,
    Take: _take,
    SetFlag: _set_flag,
    ClearFlag: _clear_flag,
    AddCounter: _add_counter,
    SetCounter: _set_counter,
    Noise: _noise,
    Advance: _advance,
    Reveal: _member_or_all,
    Heal: _member_or_all,
    **dict.fromkeys((Bite, Turn, Feed, Join, Leave, Separate, Injure, Kill), _to_member),
}


def _apply_to_member(w: Work, effect: Effect, mid: str) -> None:
    m = w.members.get(mid)
    if m is None:
        return
    match effect:
        case Bite(concealed=concealed, by=by):
            infection.bite(w, mid, concealed, w.resolve(by) if by else "")
        case Reveal():
            infection.reveal(w, mid, "")
        case Turn():
            infection.turn(w, mid)  # a no-op unless they are infected
        case Feed():
            infection.feed(w, mid)
        case Join():
            if m.alive and not m.with_party:
                note(w, "joined", mid, here=True)
                w.set_member(mid, where="party", met=True)
                w.emit("joined", mid, f"{w.cap_name(mid)} is with you.")
        case Leave(how=how):
            if m.with_party and mid != PLAYER:
                note(w, "left", mid, how=how)
                w.set_member(mid, where="away")
                # in an ending the text says how they went on without the player; a line
                # per friend saying they "leave the group" would read as abandonment
                at_end = (here := w.story.scenes.get(w.scene)) is not None and here.ending is not None
                w.emit("left", mid, f"{w.cap_name(mid)} leaves the group.", visible=not at_end)
        case Separate(how=how):
            if m.with_party and mid != PLAYER:
                note(w, "missing", mid, how=how)
                w.set_member(mid, where="missing")
                w.emit("separated", mid, f"You lose track of {w.name(mid)}.")
        case Injure():
            if m.alive and not m.injured:
                w.set_member(mid, injured=True)
                w.emit("injured", mid, "You are hurt." if mid == PLAYER else f"{w.cap_name(mid)} is hurt.")
        case Heal():
            if m.alive and m.injured:
                w.set_member(mid, injured=False)
                w.emit(
                    "healed",
                    mid,
                    "Your wound is dressed." if mid == PLAYER else f"{w.cap_name(mid)}'s wound is dressed.",
                )
        case Kill():
            if m.alive:
                note(w, "died", mid)
                w.set_member(mid, fate="dead", bitten=False, turns_at=None, concealed=False)
                w.emit("died", mid, "You die." if mid == PLAYER else f"{w.cap_name(mid)} is dead.")
                w.happen("died", mid)
            elif m.fate == "zombie":  # put down by the party, where the party is
                note(w, "put-down", mid, here=True)
                w.set_member(mid, fate="dead")
                w.emit("put-down", mid, f"{w.cap_name(mid)} is put down.")
                w.happen("put-down", mid)
        case _:  # the effects that name no member are applied in apply_effect
            pass


def _change_item(w: Work, item_id: str, delta: int) -> None:
    before = w.inventory.get(item_id, 0)
    item = w.story.items.get(item_id)
    after = max(0, before + delta)
    if item is not None and item.max is not None:
        after = min(item.max, after)
    if after == before:
        return
    w.mutable_dict("inventory")[item_id] = after
    name = item.name if item else item_id
    # one line per item per step, its net change: a choice that hands over the arrows and
    # an event that gives some back read "-4 Arrows", not "-16 Arrows" then "+12 Arrows"
    lines = w.item_lines
    if lines is None:
        lines = w.item_lines = {}
    at = len(w.events)
    shown = lines.pop(item_id, None)
    if shown is not None:
        line, before = shown
        at = next(i for i, e in enumerate(w.events) if e is line)
        del w.events[at]
    if after != before:
        line = Event("item", None, _item_text(after - before, name))
        w.events.insert(at, line)
        lines[item_id] = (line, before)


def _item_text(delta: int, name: str) -> str:
    return f"{'+' if delta > 0 else '-'}{abs(delta)} {name}"
