"""Reading rendered prose the way the rules need it: who is named, who acts or speaks,
which pronouns follow a name, which times of day are claimed. Pure text functions with
no story state, so their results are cached per rendered paragraph.

These are heuristics for English narration in the second person, present tense (the
house style); docs/continuity.md says what they find and what they miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# -- verbs --------------------------------------------------------------------------------

# acts only a living, thinking person does (speech and gestures): the strong signal.
SPEECH = frozenset(
    """says asks answers replies whispers shouts calls mutters murmurs adds tells explains
    agrees laughs smiles grins nods sighs shrugs winks jokes sings hums promises thanks
    insists argues admits apologizes apologises begs pleads repeats reads writes counts
    frowns hugs squeezes""".split()
)
# present-tense verbs ending in -s that are not verbs
NOT_VERBS = frozenset(
    """is was has as his hers its us yes this thus plus less unless across always perhaps
    sometimes towards afterwards besides nervous anxious famous serious various previous
    obvious jealous gorgeous curious furious enormous dangerous bus gas whereas yours ours
    theirs always downstairs upstairs indoors outdoors outwards inwards backwards forwards
    sideways nowadays means news series species lens chaos""".split()
)
ADVERBS = frozenset(
    """still just only already also too now then finally slowly quietly even barely almost
    suddenly simply actually gently softly carefully quickly silently calmly never""".split()
)
ABSENCE = frozenset(
    """dead gone not missing lost nowhere somewhere buried never no away elsewhere already
    a""".split()
)
# what a body does as well as a person: "Mi-jin lies where she fell" is no act of the dead
STILL = frozenset("lies lay rests".split())
SPEECH_BEFORE = re.compile(r"\b(says|asks|answers|replies|whispers|shouts|calls|mutters|murmurs|adds)\s+$")
# a sentence that remembers, wonders or supposes: a name in it is not someone present
MEMORY = re.compile(
    r"\b(remember\w*|memor\w+|used to|once|ribbons?|graves?|photo\w*|dreams?|dreamt|would|"
    r"could have|should have|if only|miss(es|ed)?|think(s|ing)? of|thought of|last time|"
    r"name tags?|ghosts?|mourn\w*|funeral|buried|bod(y|ies)|corpse|imagine\w*|picture|"
    r"wonder\w*|wish\w*|hear(s)? .{0,40}voice|in your head|if\b|what .{0,20}would|"
    r"story|stories|tells? (you|them|us) about|talk(s|ing)? about|ask(s)? about|"
    r"without|instead of|where .{0,12} (was|used)|no sign of|looking for|look for|search\w* for|"
    r"wait(s|ing)? for|for \w+['’]s sake|because of|the last|saw|seen|somewhere|elsewhere|"
    r"out there|far away|far across)\b",
    re.IGNORECASE,
)

# -- sentences and quotes ---------------------------------------------------------------

_QUOTE = re.compile(r"[\"“”]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+|\n\s*\n|(?<=[:;])\s+|—|--")


def narration_mask(text: str) -> list[bool]:
    """True for every character outside quoted speech."""
    mask = [True] * len(text)
    inside = False
    for i, ch in enumerate(text):
        if ch in '"“”':
            if ch == "“":
                inside = True
            elif ch == "”":
                inside = False
            else:
                inside = not inside
            mask[i] = False
            continue
        mask[i] = not inside
    return mask


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            bounds.append((start, m.start()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def sentence_at(bounds: list[tuple[int, int]], index: int) -> tuple[int, int]:
    for a, b in bounds:
        if a <= index < b:
            return a, b
    return 0, 0


# -- names --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    member: str
    start: int
    end: int
    act: str  # "speech" (a speech or gesture verb), "act" (another present verb), "is", ""
    verb: str
    memory: bool  # in a sentence that remembers or supposes
    narration: bool  # outside quoted speech
    sentence: tuple[int, int]


class NameReader:
    """Finds cast names in rendered text (longest first), ignoring names inside place
    names ("Cheong-san Chicken") and possessives ("Cheong-san's mother")."""

    def __init__(self, names: dict[str, str], masks: Iterable[str]) -> None:
        self.by_name = {name: mid for mid, name in names.items() if name}
        ordered = sorted(self.by_name, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in ordered) + r")(?![\w-])")
            if ordered
            else None
        )
        masks = sorted(
            {m for m in masks if m and self.pattern and self.pattern.search(m)}, key=len, reverse=True
        )
        self.masks = re.compile("|".join(re.escape(m) for m in masks)) if masks else None
        self.cache: dict[str, tuple[Mention, ...]] = {}

    def mentions(self, text: str) -> tuple[Mention, ...]:
        found = self.cache.get(text)
        if found is None:
            found = self._read(text)
            if len(self.cache) > 200_000:
                self.cache.clear()
            self.cache[text] = found
        return found

    def _read(self, text: str) -> tuple[Mention, ...]:
        if self.pattern is None:
            return ()
        masked = self.masks.sub(lambda m: "#" * len(m.group(0)), text) if self.masks else text
        narr = narration_mask(masked)
        bounds = sentence_bounds(masked)
        out: list[Mention] = []
        for m in self.pattern.finditer(masked):
            mid = self.by_name[m.group(1)]
            sent = sentence_at(bounds, m.start())
            act, verb = _act(masked, m.start(), m.end())
            quote_follows = masked[sent[1] :].lstrip(" \t")[:1] in ('"', "“")
            if act in ("act", "is") and (quote_follows or _QUOTE.search(masked, m.end(), sent[1])):
                act = "speech"  # `Mi-jin taps the window. "The ledge goes."`
            narrated = "".join(
                c if narr[i] else " " for i, c in enumerate(masked[sent[0] : sent[1]], sent[0])
            )
            memory = bool(MEMORY.search(narrated))
            out.append(Mention(mid, m.start(), m.end(), act, verb, memory, narr[m.start()], sent))
        return tuple(out)


_AFTER = re.compile(r"[ \t]+((?:[a-z]+ly|[a-z]+)\b)(?:[ \t]+([a-z]+)\b)?(?:[ \t]+([a-z]+)\b)?")
_AND_NAME = re.compile(r"[ \t]+and[ \t]+")


def _act(text: str, start: int, end: int) -> tuple[str, str]:
    """What the name at text[start:end] does: speech, act, is, or nothing."""
    if text[end : end + 2] in ("'s", "’s") or text[end : end + 1] in ("'", "’"):
        return "", ""
    if SPEECH_BEFORE.search(text[max(0, start - 12) : start]):
        return "speech", "says"
    m = _AFTER.match(text, end)
    if not m:
        return "", ""
    words = [w for w in m.groups() if w]
    while words and (words[0] in ADVERBS or (words[0].endswith("ly") and words[0] not in SPEECH)):
        words.pop(0)
    if not words:
        return "", ""
    verb = words[0]
    nxt = words[1] if len(words) > 1 else ""
    if verb in ("is", "isn't"):
        if nxt in ABSENCE or nxt in ("dead", "still") and len(words) > 2 and words[2] in ABSENCE:
            return "", verb
        return "is", verb
    if verb == "has":
        if nxt in ("been", "gone", "died", "turned", "left", "never", "not", "no"):
            return "", verb
        return "is", verb
    if verb in SPEECH:
        return "speech", verb
    if verb in STILL:
        return "", verb
    if (
        len(verb) > 3
        and verb.endswith("s")
        and not verb.endswith(("ss", "us", "is"))
        and verb not in NOT_VERBS
    ):
        return "act", verb
    return "", verb


# -- pronouns -------------------------------------------------------------------------

PRONOUN_FORMS = {
    "he": ("he", "him", "his", "himself"),
    "she": ("she", "her", "hers", "herself"),
    "they": ("they", "them", "their", "theirs", "themselves", "themself"),
}
_BODY = (
    r"head|hand|hands|eyes|eye|face|hair|shoulder|shoulders|arm|arms|lip|lips|mouth|knees|"
    r"knee|chin|jaw|voice|breath|fingers|finger|fists|fist|neck|back|leg|legs|wrist|wrists|"
    r"cheek|cheeks|throat|chest|bag|phone|bow|glasses|sleeve|sleeves|feet|foot|teeth|nose"
)
# a reflexive anywhere after `NAME verb`; a possessive body part straight after the verb
# ("shakes her head", not "leans over her shoulder"); `, and she verbs`
_GENDERED = re.compile(
    r"\b(himself|herself)\b"
    r"|^[ \t]+(?:[a-z]+ly[ \t]+)?[a-z]+s[ \t]+(?:up[ \t]+|back[ \t]+|down[ \t]+)?((?:his|her) (?:"
    + _BODY
    + r"))\b|[,;] (?:and |then |but )?((?:he|she) [a-z]+s)\b"
)
# a they-form that must mean the named subject: possessive or reflexive in the same
# sentence, `, and they verb`, or `Their <body part>` opening the next sentence
_THEY_SAME = re.compile(r"\b(themselves|themself|their(?= (?:own )?(?:" + _BODY + r")\b))\b()", re.IGNORECASE)
_PERSON_NOUN = re.compile(
    r"\b(boy|girl|man|woman|mother|father|mum|mom|dad|sister|brother|teacher|soldier|doctor|"
    r"nurse|officer|aunt|uncle|grandmother|grandfather|son|daughter|[A-Z][a-z]+(?:-[a-z]+)?)\b"
)
_THEY_NEXT = re.compile(r"(Their) (?:" + _BODY + r")\b")
_PLURAL = re.compile(
    r"\b(both|others|everyone|everybody|all|two|three|four|five|six|people|friends|"
    r"soldiers|students|kids|children|zombies|men|women|adults|parents|teachers|girls|boys|"
    r"doctors|guards|nurses|families|crowd|group|class|party|rest|some|those|these|many|"
    r"few|several|they|them|their|each|none|anyone|someone|somebody|nobody|whoever|you|"
    r"and (?:you|I|[A-Z]\w+|the \w+s|his \w+|her \w+))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PronounHit:
    member: str
    start: int  # of the name
    pronoun: str  # the pronoun written
    form: str  # "he", "she" or "they"
    snippet: str


def pronoun_hits(text: str, mentions: tuple[Mention, ...], player_name: str) -> list[PronounHit]:
    """Pronouns that refer, by a narrow reading, to a named member acting in narration:
    in the same sentence after `NAME verb`, a reflexive, a possessive of a body part or
    `, and he/she verbs`; for they-forms, also the next sentence when it starts with one,
    provided nothing plural or no other person comes between."""
    hits: list[PronounHit] = []
    narr = narration_mask(text)
    for i, m in enumerate(mentions):
        if not m.narration or m.act not in ("speech", "act", "is"):
            continue
        s0, s1 = m.sentence
        nxt_start = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        window_end = min(s1, nxt_start)
        window = text[m.end : window_end]
        g = _GENDERED.search(window)
        if (
            g
            and narr[m.end + g.start(g.lastindex or 0)]
            and not _PERSON_NOUN.search(_strip_first(window[: g.start()], player_name))
        ):
            word = next(w for w in g.groups() if w)
            form = "he" if re.search(r"\b(he|his|himself)\b", word) else "she"
            hits.append(PronounHit(m.member, m.start, word, form, snip(text, m.start, m.end + g.end())))
            continue
        # they-forms: this sentence after the name, or `Their <body part>` opening the next
        t = _THEY_SAME.search(window)
        if t is not None:
            word = t.group(1) or t.group(2)
            at = m.end + t.start()
            before = window[: t.start()]
            if (
                not narr[at]
                or _PLURAL.search(before)
                or _PERSON_NOUN.search(_strip_first(before, player_name))
            ):
                continue
            hits.append(PronounHit(m.member, m.start, word, "they", snip(text, m.start, m.end + t.end())))
            continue
        if nxt_start <= s1:
            continue
        following = text[s1:nxt_start]
        lead = len(following) - len(following.lstrip('"”’) \n'))
        t2 = _THEY_NEXT.match(following, lead)
        if t2 is None or not narr[s1 + lead]:
            continue
        if _PLURAL.search(text[m.end : s1]) or _PERSON_NOUN.search(
            _strip_first(text[m.end : s1], player_name)
        ):
            continue
        hits.append(PronounHit(m.member, m.start, t2.group(1), "they", snip(text, m.start, s1 + t2.end())))
    return hits


_NEXT_GENDERED = re.compile(r"(He|She)\b")
_THIRD_PERSON = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b")


def gender_hits(text: str, mentions: tuple[Mention, ...], player_name: str) -> list[PronounHit]:
    """The wider reading for he/she: a sentence that a member opens, in narration,
    with no other person, name or plural in it, followed in the same paragraph by a
    sentence opening with He or She: that pronoun is the member's. ("I-sak does not say
    anything about it. She just sits beside you.") Pronouns inside the sentence are left
    to `pronoun_hits`: a later clause's she is as often someone else's."""
    hits: list[PronounHit] = []
    narr = narration_mask(text)
    for i, m in enumerate(mentions):
        s0, s1 = m.sentence
        if not m.narration or m.memory or text[s0 : m.start].strip(' \t\n*_"“'):
            continue
        nxt_start = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        if nxt_start <= s1:
            continue
        following = text[s1:nxt_start]
        lead = len(following) - len(following.lstrip('"”’) \t'))
        g = _NEXT_GENDERED.match(following, lead)
        if g is None or not narr[s1 + lead] or "\n\n" in text[m.end : s1 + lead]:
            continue
        between = text[m.end : s1]
        if _QUOTE.search(between) or _PERSON_NOUN.search(_strip_first(between, player_name)):
            continue
        if _PLURAL_PERSON.search(between) or _THIRD_PERSON.search(between):
            continue  # "you drag her through. She is shaking": the she is hers
        form = "he" if g.group(1) == "He" else "she"
        hits.append(PronounHit(m.member, m.start, g.group(1), form, snip(text, m.start, s1 + g.end())))
    return hits


# people in the plural: they make a later he/she ambiguous
_PLURAL_PERSON = re.compile(
    r"\b(others|everyone|everybody|people|friends|soldiers|students|kids|children|men|women|"
    r"adults|parents|teachers|girls|boys|doctors|guards|nurses|families|crowd|strangers)\b",
    re.IGNORECASE,
)


def _strip_first(window: str, player_name: str) -> str:
    # sentence-initial capitals and "I" are not other people
    return re.sub(r"(^|[.!?]\s+|\"|“)[A-Z][a-z]+|\bI\b|\bYou\b", " ", window.replace(player_name, " "))


def snip(text: str, a: int, b: int) -> str:
    piece = " ".join(text[a:b].split())
    return piece if len(piece) <= 70 else piece[:67] + "..."


# -- first-time words and repetition ------------------------------------------------------

FIRST_TIME = re.compile(
    r"\b(for the first time|the first time|you have never|you've never|never been here|"
    r"at last|for once|first sight|first glimpse|new to you)\b",
    re.IGNORECASE,
)


def normalize(paragraph: str) -> str:
    return " ".join(paragraph.split()).lower()
