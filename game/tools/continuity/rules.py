"""The continuity rules: what a reader sees at one state of one run, against that state.

`Checker.look(run, state, ...)` renders what the player sees (scene paragraphs, choice
labels, the text of the choice just taken, fate lines at an ending) and yields `Hit`s.
`RunMemory` is what one run remembers across its states (paragraphs shown, where each
flag was set, when each member stopped being with the party).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ...engine import rules as engine
from ...engine import textvar
from ...engine.effects import Bite, Conditional, Effect
from ...engine.model import HERE, PLAYER, Choice, Scene, Story, Template
from ...engine.queries import who_of
from ...engine.state import Event, GameState
from . import prose, timewords
from .base import Hit, RunMemory
from .facts import Facts
from .pronouns import pronouns_of
from .sources import Key, Sources

_LABEL_PRESENCE = re.compile(
    r"\b(ask|let|tell|give|hand|help|follow|have|send|trust|signal|wake|with|beside|behind|"
    r"carry|hold|hug|thank|warn|call to|whisper to|nod to|leave \w+ with)\s+$",
    re.IGNORECASE,
)


OFTEN = 3  # an event scene's paragraph or a choice's outcome shown this often in one run
RETURN_LENGTH = 60  # a paragraph shorter than this may come back ("The corridor again.")
NEAR_LENGTH = 120  # from this length a paragraph that differs in a word or two is a repeat
NEAR = 0.8  # ... when its words and the earlier one's share this much (Jaccard)
_WORDS = re.compile(r"[a-z']+")


def _alike(a: frozenset[str], b: frozenset[str]) -> bool:
    union = len(a | b)
    return union > 0 and len(a & b) >= NEAR * union


class Checker:
    def __init__(self, story: Story, sources: Sources) -> None:
        self.story = story
        self.src = sources
        names = {mid: m.name for mid, m in story.cast.items()}
        places = [loc.name for loc in story.locations.values()]
        self.reader = prose.NameReader(names, places)
        self.hubs = _hubs(story)
        # scenes that show a member turning: they speak in them before they are gone
        self.turning = frozenset(e.scene for e in story.events if e.on in ("turned-zombie", "turned-hambie"))
        self.facts = Facts(story, sources)
        self.time_cache: dict[str, tuple[timewords.TimeClaim, ...]] = {}
        self.mem = RunMemory()

    # -- one state ------------------------------------------------------------------

    def look(
        self,
        mem: RunMemory,
        before: GameState | None,
        state: GameState,
        choice: Choice | None,
        events: list[Event],
    ) -> Iterator[Hit]:
        story = self.story
        scene = story.scenes.get(state.scene)
        if scene is None:
            return
        self.mem = mem
        self._track(mem, before, state)
        entered = before is None or state.visits.get(scene.id, 0) > before.visits.get(scene.id, 0)
        if before is not None and choice is not None:
            yield from self._choice_text(before, choice, events)
        if entered:
            yield from self._place(mem, before, state, scene)
        blocks = engine.render_blocks(story, state, scene.text)
        repeated_scene = False
        if entered:
            full = "\n\n".join(t for _, t in blocks)
            hit = self._scene_repeat(mem, state, scene, full)
            if hit is not None:
                repeated_scene = True
                yield hit
            mem.scene_text[scene.id] = full
        for i, text in blocks:
            key: Key = ("text", scene.id, i)
            when = scene.text.blocks[i].when
            yield from self._people(text, key, state, scene, when.source if when else "")
            yield from self._alone(text, key, state, scene, narration=True)
            yield from self._pronouns(text, key, state)
            if scene.clock != "hidden":  # a scene may hide the clock
                yield from self._time(text, key, state)
            if when is not None:
                yield from self.facts.check(mem, when.source, text, key)
            if entered:
                yield from self._paragraph(mem, text, key, scene, state, repeated_scene)
                if not repeated_scene:
                    yield from self._return(mem, text, key, scene, state)
        for view in engine.choices(story, state):
            key = ("label", scene.id, view.id)
            shown_if = scene.choices[self._index(scene, view.id)].shown_if
            yield from self._label(view.label, key, state, scene, shown_if.source if shown_if else "")
            yield from self._alone(view.label, key, state, scene, narration=False)
            yield from self._pronouns(view.label, key, state)
        if scene.ending is not None:
            yield from self._fates(mem, state, scene)

    def _track(self, mem: RunMemory, before: GameState | None, state: GameState) -> None:
        if before is None:
            for mid, m in state.members.items():
                mem.since[mid] = (m.status(), state.scene)
            mem.location = engine.location(self.story, state)
            return
        for flag in state.flags - before.flags:
            touched = {
                before.scene,
                state.scene,
                *(s for s, n in state.visits.items() if n > before.visits.get(s, 0)),
            }
            mem.flag_origin[flag] = frozenset(touched)
        for mid, m in state.members.items():
            status = m.status()
            if before.members[mid].status() != status:
                mem.since[mid] = (status, before.scene)

    # -- people ---------------------------------------------------------------------

    def _absent(self, state: GameState, mid: str, scene: Scene, guard: str = "") -> str | None:
        """Why the member cannot be acting here, or None. `guard` is the source of the
        condition the text is shown under: one that names an away or missing member
        means the writer knows where they are."""
        m = state.members.get(mid)
        if m is None or mid == PLAYER:
            return None
        if guard and re.search(r"\(\s*" + re.escape(mid) + r"\s*[,)]", guard):
            return None
        if m.fate == "dead":
            return "dead"
        if m.fate == "zombie":
            return "zombie"
        if m.where == "party":
            return None
        if not m.met or mid in self.src.joins.get(scene.id, ()):
            return None  # an introduction or a reunion: they are in the scene, not yet with you
        return m.where  # away or missing

    def _people(self, text: str, key: Key, state: GameState, scene: Scene, guard: str = "") -> Iterator[Hit]:
        for mention in self.reader.mentions(text):
            if not mention.narration or mention.memory or not mention.act:
                continue
            why = self._absent(state, mention.member, scene, guard)
            if why is None or (scene.id in self.turning and mention.member == state.subject):
                continue
            if why != "dead" and mention.act != "speech":
                # a zombie lunges, grabs, turns; someone away from the party may well be
                # where the scene is: only speech and gestures are wrong for them
                continue
            name = self.story.member_name(mention.member, state.player_name)
            doing = {"speech": "speaks", "act": "acts", "is": "is here"}[mention.act]
            quote = prose.snip(text, mention.start, mention.end + len(mention.verb) + 1)
            since = self._since(mention.member)
            yield Hit(
                "people",
                why,
                key,
                "who" if mention.member == state.subject else mention.member,
                f'{name} {doing} ("{quote}") but is {_STATUS_WORDS[why]} here{since}',
            )

    def _alone(self, text: str, key: Key, state: GameState, scene: Scene, narration: bool) -> Iterator[Hit]:
        """Words for a group ("all of you", "one at a time") while the player is alone:
        nobody of the cast is with the party (a reader who fled the barricade alone
        read act 5's "holds, for every one of you" and "the dog sleeps through all of you"),
        or the scene is `apart` (the player on a hall pass, the party upstairs)."""
        if not scene.apart and any(m.present for mid, m in state.members.items() if mid != PLAYER):
            return
        found = _GROUP.search(text)
        if found is None or (narration and found.group(0).lower() == "one at a time"):
            return  # told, "they come in one at a time" is anyone; asked of you, it is the party
        if scene.apart and found.group(0).lower() in ("both of you", "the two of you"):
            return  # away from the party with one friend found on the way (Hyo-ryeong's sleeve)
        if narration and not prose.narration_mask(text)[found.start()]:
            return  # a soldier's "all of you" to a crowd
        if _MEMORY_OF_GROUP.search(text[max(0, found.start() - 24) : found.start()]):
            return  # "she has known all of you since the birthday": the friends remembered
        a, b = prose.sentence_at(prose.sentence_bounds(text), found.start())
        quote = prose.snip(text, max(a, found.start() - 40), min(b, found.end() + 20))
        here = "nobody of the cast is with you here"
        if scene.apart:
            here = "you are on your own here (the scene is apart)"
        yield Hit(
            "people",
            "alone",
            key,
            found.group(0).lower(),
            f'the text speaks to a group ("{quote}") but {here}',
        )

    def _since(self, mid: str) -> str:
        status, scene = self.mem.since.get(mid, ("", ""))
        return f" (since the choice in {scene!r})" if scene else ""

    @staticmethod
    def _index(scene: Scene, choice_id: str) -> int:
        return next(i for i, c in enumerate(scene.choices) if c.id == choice_id)

    def _label(self, label: str, key: Key, state: GameState, scene: Scene, guard: str) -> Iterator[Hit]:
        for mention in self.reader.mentions(label):
            if (
                not _LABEL_PRESENCE.search(label[max(0, mention.start - 24) : mention.start])
                or mention.memory
            ):
                continue
            why = self._absent(state, mention.member, scene, guard)
            if why is None:
                continue
            name = self.story.member_name(mention.member, state.player_name)
            yield Hit(
                "people",
                why,
                key,
                "who" if mention.member == state.subject else mention.member,
                f"the choice counts on {name}, who is {_STATUS_WORDS[why]} here",
            )

    # -- pronouns -------------------------------------------------------------------

    def _pronouns(self, text: str, key: Key, state: GameState) -> Iterator[Hit]:
        mentions = self.reader.mentions(text)
        if not mentions:
            return
        narrow = prose.pronoun_hits(text, mentions, state.player_name)
        seen = {(h.member, h.start) for h in narrow}
        wide = [
            h
            for h in prose.gender_hits(text, mentions, state.player_name)
            if (h.member, h.start) not in seen and pronouns_of(self.story, h.member) in ("he", "she")
        ]
        for hit in (*narrow, *wide):
            own = pronouns_of(self.story, hit.member)
            if own is None or own == hit.form:
                continue
            name = self.story.member_name(hit.member, state.player_name)
            if hit.form == "they":
                message = (
                    f"'{hit.pronoun}' for {name} alone (\"{hit.snippet}\"); "
                    f"{name} is {own}: write it, or use a pronoun template"
                )
                yield Hit("pronoun", "they", key, "they", message)
            else:
                message = f"'{hit.pronoun}' next to {name}, who is {own} (\"{hit.snippet}\")"
                yield Hit("pronoun", "gender", key, hit.member, message)

    # -- time and place -------------------------------------------------------------

    def _time(self, text: str, key: Key, state: GameState) -> Iterator[Hit]:
        claims = self.time_cache.get(text)
        if claims is None:
            claims = timewords.time_claims(text) + timewords.this_claims(text)
            self.time_cache[text] = claims
        minutes = state.clock % 1440
        for claim in claims:
            if timewords.contradicts(claim, minutes):
                shown = f"day {state.day}, {timewords.clock(minutes)}"
                yield Hit(
                    "time",
                    "clock",
                    key,
                    claim.phrase,
                    f"the text says '{claim.phrase}' but the clock shows {shown}"
                    + (
                        "; after midnight it means the day to come"
                        if claim.phrase.startswith("this ")
                        else ""
                    ),
                )

    def _place(
        self, mem: RunMemory, before: GameState | None, state: GameState, scene: Scene
    ) -> Iterator[Hit]:
        story = self.story
        here = engine.location(story, state)
        if before is not None and scene.id in story.event_scenes and scene.location != HERE:
            was = story.location_of(state.returns[-1], state.returns[:-1]) if state.returns else mem.location
            if was and was != scene.location:
                header = (
                    story.locations[scene.location].name
                    if scene.location in story.locations
                    else scene.location
                )
                where = story.locations[was].name if was in story.locations else was
                yield Hit(
                    "place",
                    "event",
                    ("scene", scene.id),
                    "",
                    f"event scene {scene.id!r} is headed '{header}' but the player is at '{where}'",
                    extra=where,
                )
        if scene.id not in story.event_scenes:
            mem.location = here

    # -- repetition -------------------------------------------------------------------

    def _scene_repeat(self, mem: RunMemory, state: GameState, scene: Scene, full: str) -> Hit | None:
        visits = state.visits.get(scene.id, 0)
        last = mem.scene_text.get(scene.id)
        if visits < 2 or last is None or not full:
            return None
        before = {prose.normalize(p) for p in last.split("\n\n")}
        paragraphs = full.split("\n\n")
        long = [p for p in paragraphs if len(p) >= 60]
        again = [p for p in long if prose.normalize(p) in before]
        if not again:
            return None
        whole = full == last
        if scene.id in self.hubs and len(again) < len(long):
            return None  # a hub that changes some of what it says on return
        if scene.id in self.story.event_scenes and 2 * len(again) < len(long):
            return None  # an event that shares one stock paragraph between firings
        what = "its full description" if whole else f"{len(again)} of its {len(paragraphs)} paragraphs"
        if scene.id in self.story.event_scenes:
            message = f"event scene {scene.id!r} repeats {what} each time it fires (visit {visits})"
            kind = "event"
        elif scene.id in self.hubs:
            message = f"hub {scene.id!r} repeats {what} on return (visit {visits})"
            kind = "hub"
        else:
            first = prose.FIRST_TIME.search(full)
            words = f"; it reads as a first time ('{first.group(0)}')" if first else ""
            message = f"scene {scene.id!r} is entered again (visit {visits}) and repeats {what}{words}"
            kind = "scene"
        return Hit("repeat", kind, ("scene", scene.id), "", message, n=visits)

    def _return(self, mem: RunMemory, text: str, key: Key, scene: Scene, state: GameState) -> Iterator[Hit]:
        """A scene entered again that shows a long paragraph the reader already read there,
        on any earlier visit (the `scene` and `hub` findings compare with the last visit
        only, and a hub only when all of it repeats), or one that differs from it in a
        word or two (a state word inside a paragraph that otherwise comes back whole).
        Event scenes have their own rule."""
        if scene.id in self.story.event_scenes:
            return
        visit = state.visits.get(scene.id, 0)
        shown = mem.shown.setdefault(scene.id, {})
        near = mem.shown_words.setdefault(scene.id, [])
        for paragraph in text.split("\n\n"):
            if len(paragraph) < RETURN_LENGTH:
                continue
            norm = prose.normalize(paragraph)
            first = shown.setdefault(norm, visit)
            how = "this paragraph again"
            if first == visit and len(paragraph) >= NEAR_LENGTH:
                # word sets are made only on a return: most scenes are seen once
                entry: list[Any] = [norm, visit, None]
                if visit > 1:
                    words = entry[2] = frozenset(_WORDS.findall(norm))
                    for earlier in near:
                        if earlier[1] < visit:
                            if earlier[2] is None:
                                earlier[2] = frozenset(_WORDS.findall(earlier[0]))
                            if _alike(earlier[2], words):
                                first = earlier[1]
                                break
                    how = "this paragraph again with a word or two changed"
                near.append(entry)
            if first < visit:
                yield Hit(
                    "repeat",
                    "return",
                    key,
                    "",
                    f"{scene.id!r} shows {how} on visit {visit} (the reader read it there on visit {first})",
                    n=visit,
                )
                return

    def _paragraph(
        self, mem: RunMemory, text: str, key: Key, scene: Scene, state: GameState, repeated_scene: bool
    ) -> Iterator[Hit]:
        norm = prose.normalize(text)
        count, first = mem.paragraphs.get(norm, (0, scene.id))
        mem.paragraphs[norm] = (count + 1, first)
        if count == 0:
            if state.visits.get(scene.id, 0) >= 2 and scene.id not in self.hubs:
                found = prose.FIRST_TIME.search(text)
                if found and scene.id not in self.story.event_scenes:
                    yield Hit(
                        "repeat",
                        "first-time",
                        key,
                        "first",
                        f"'{found.group(0)}' on visit {state.visits[scene.id]} of {scene.id!r}",
                    )
            return
        if first == scene.id and scene.id in self.story.event_scenes and len(norm) >= NEAR_LENGTH:
            # a shared event scene (a hunger crisis, a bite seen) comes back for other people
            # and other places: the same long paragraph a third time reads as a loop
            if count + 1 == OFTEN:
                message = f"the same paragraph a {_nth(OFTEN)} time in one run"
                yield Hit("repeat", "event", key, "", message, n=OFTEN)
            return
        if repeated_scene or first == scene.id or len(norm) < 60:
            return  # a scene's own paragraphs on its next visit: the scene's finding covers them
        yield Hit(
            "repeat",
            "paragraph",
            key,
            "",
            f"the same paragraph was shown in {first!r} earlier in this run",
            n=count + 1,
        )

    # -- endings ----------------------------------------------------------------------

    def _fates(self, mem: RunMemory, state: GameState, scene: Scene) -> Iterator[Hit]:
        ending = scene.ending
        assert ending is not None
        story = self.story
        for mid in [PLAYER, *story.cast]:
            m = state.members.get(mid)
            if m is None or not m.met:
                continue
            view = replace(state, subject=mid)
            if mid in ending.fates:
                fate = ending.fates[mid]
                for i, text in engine.render_blocks(story, view, fate):
                    key: Key = ("fate", scene.id, mid, i)
                    yield from self._pronouns(text, key, view)
                    when = fate.blocks[i].when
                    if when is not None:
                        yield from self.facts.check(mem, when.source, text, key)
            else:
                status = m.status()
                status_key = "alive" if status in ("healthy", "injured", "bitten") else status
                template = story.fates.get(status_key) or story.fates.get("alive")
                if template is not None and mid != PLAYER:
                    fkey: Key = ("default-fate", status_key if status_key in story.fates else "alive")
                    yield from self._pronouns(engine.render(story, view, template), fkey, view)

    # -- what the choice just taken said ------------------------------------------------

    def _choice_text(self, before: GameState, choice: Choice, events: list[Event]) -> Iterator[Hit]:
        scene = self.story.scenes[before.scene]
        first_time = (scene.id, choice.id) not in self.mem.chosen
        self.mem.chosen.add((scene.id, choice.id))
        said = {e.text for e in events if e.kind == "outcome"}
        if not said:
            return
        pieces: list[tuple[Key, Template, tuple[Effect, ...]]] = []
        if choice.text is not None:
            pieces.append((("choice-text", scene.id, choice.id), choice.text, choice.effects))
        for k, outcome in enumerate(choice.roll):
            if outcome.text is not None:
                effects = choice.effects + outcome.effects
                pieces.append((("outcome", scene.id, choice.id, k), outcome.text, effects))
        for key, template, effects in pieces:
            text = engine.render(self.story, before, template)
            if text not in said:
                continue
            yield from self._idle_bites(key, before, effects)
            if first_time and textvar.varies(template.parts):
                # only a later variant chosen by the scene's visits: the words a first
                # visit shows are the choice's own first words, whatever they say
                first_visit = replace(before, visits={**before.visits, scene.id: 1})
                if engine.render(self.story, first_visit, template) != text:
                    yield from self._again(text, key)
            yield from self._people(text, key, before, scene)
            yield from self._alone(text, key, before, scene, narration=True)
            yield from self._pronouns(text, key, before)
            norm = prose.normalize(text)
            if len(norm) >= NEAR_LENGTH:
                seen = self.mem.outcomes[norm] = self.mem.outcomes.get(norm, 0) + 1
                if seen == OFTEN:
                    message = f"the same outcome text a {_nth(OFTEN)} time in one run"
                    yield Hit("repeat", "outcome", key, "", message, n=OFTEN)

    def _idle_bites(self, key: Key, before: GameState, effects: tuple[Effect, ...]) -> Iterator[Hit]:
        """A bite told in a choice's words that cannot take: the one bitten has already
        turned (a hambie player "bitten, and everyone saw" in a library aisle, reader AY)
        or is dead, so the engine does nothing and nothing follows from it."""
        for effect in _reached(effects, before):
            if not isinstance(effect, Bite):
                continue
            mid = who_of(before, effect.who)
            m = before.members.get(mid)
            if m is None or m.fate == "human":
                continue
            name = "you" if mid == PLAYER else self.story.member_name(mid, before.player_name)
            state_words = {"hambie": "a hambie", "zombie": "a zombie", "dead": "dead"}.get(m.fate, m.fate)
            yield Hit(
                "fact",
                "bite",
                key,
                mid,
                f"the choice bites {name}, who {'are' if mid == PLAYER else 'is'} already {state_words}: "
                "the bite does nothing, so the words must not tell one",
            )


    def _again(self, text: str, key: Key) -> Iterator[Hit]:
        """A choice's words that vary by visit ({seq}, {cycle}) and say "again" or "this
        time" the first time the run takes that choice: the variant follows the visits of
        the scene, not the choice (reader BI read "You say it, shorter this time." having
        never spoken for anyone)."""
        mask = prose.narration_mask(text)
        bounds = prose.sentence_bounds(text)
        for found in _AGAIN.finditer(text):
            if not mask[found.start()]:
                continue
            a, b = prose.sentence_at(bounds, found.start())
            if found.group(0).lower() == "again":
                # "again" as a sentence's opening words ("The rope again, the same knots."),
                # not an adverb of the action ("and does not move again", "goes again")
                before = text[a : found.start()].lower().split()
                after = text[found.end() : found.end() + 1]
                words = {w.strip(",;") for w in before}
                if len(before) > 4 or after not in ",.;:" or {"not", "never", "and"} & words:
                    continue
            quote = prose.snip(text, max(a, found.start() - 40), min(b, found.end() + 20))
            yield Hit(
                "repeat",
                "again",
                key,
                found.group(0).lower(),
                f'the words say "{quote}" but this run takes the choice for the first time '
                "(a {seq} or {cycle} counts visits of the scene, not of the choice)",
            )
            return


def _reached(effects: tuple[Effect, ...], state: GameState) -> Iterator[Effect]:
    """The effects a choice reaches, its `if:` effects decided on the state before it
    (`if: present(min-jae) and not is(min-jae, bitten)` / `else: bite: ji-min` bites
    nobody who is already gone)."""
    for effect in effects:
        if isinstance(effect, Conditional):
            ok = effect.when is not None and effect.when.evaluate(state)
            yield from _reached(effect.then if ok else effect.otherwise, state)
        else:
            yield effect


def _nth(n: int) -> str:
    return {2: "second", 3: "third", 4: "fourth"}.get(n, f"{n}th")


# words for the party as a group, wrong when the player is alone
_GROUP = re.compile(
    r"\b(all of you|every one of you|each of you|both of you|the rest of you|none of you|any of you|"
    r"most of you|some of you|the (?:two|three|four|five|six|seven|eight) of you|one at a time)\b",
    re.IGNORECASE,
)
# words that say the choice's outcome has happened before
_AGAIN = re.compile(r"\b(again|this time|once more|as before|like last time|the last time)\b", re.IGNORECASE)
_MEMORY_OF_GROUP = re.compile(
    r"\b(known|knew|remembers?|met|seen|saw|lost|miss(?:es|ed)?|of)\s+$", re.IGNORECASE
)
_STATUS_WORDS = {"dead": "dead", "zombie": "a zombie", "away": "away from the party", "missing": "missing"}


def _hubs(story: Story) -> frozenset[str]:
    """Scenes a run comes back to by design: a choice leads to the scene itself, or two
    or more of its choices lead to scenes with a choice straight back."""

    def targets(scene: Scene) -> set[str]:
        found = {c.goto for c in scene.choices} | {o.goto for c in scene.choices for o in c.roll}
        return {t for t in found if t}

    hubs: set[str] = set()
    for sid, scene in story.scenes.items():
        out = targets(scene)
        back = [t for t in out if t in story.scenes and sid in targets(story.scenes[t])]
        if sid in out or len(back) >= 2:
            hubs.add(sid)
    return frozenset(hubs)
