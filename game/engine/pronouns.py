"""Pronouns: which words stand for a member, and the verb forms that agree with them.

A member's pronouns are one `Pronouns` value (the cast's `pronouns:` in the manifest).
Templates name a form by the word it would be for "they", so writers need to learn one
set: `{they:su-hyeok}` prints "he", `{Their:who}` "Her", `{they're:on-jo}` "she's".
Verb agreement uses the plural form's word: `{are:who}` is "is" or "are", and
`walk{s:who}` is "walks" or "walk" (`reach{es:who}`, `tr{ies:who}` likewise).

    pronouns = parse_pronouns("she")
    pronouns.form("they're")   # "she's"
    form_key("Themself")       # ("themself", True): known, capitalised
"""

from __future__ import annotations

from dataclasses import dataclass

# The pronoun forms, named by their "they" word.
PRONOUN_FORMS = ("they", "them", "their", "theirs", "themself")

# Everything a template may ask for, by the word it is for "they". The value says how
# to make it: a pronoun form, a contraction of `they`, or a verb (plural, singular).
_CONTRACTIONS = {
    "they're": ("'re", "'s"),
    "they've": ("'ve", "'s"),
    "they'd": ("'d", "'d"),
    "they'll": ("'ll", "'ll"),
}
_VERBS = {
    "are": ("are", "is"),
    "were": ("were", "was"),
    "have": ("have", "has"),
    "do": ("do", "does"),
    "don't": ("don't", "doesn't"),
    "aren't": ("aren't", "isn't"),
    "weren't": ("weren't", "wasn't"),
    "haven't": ("haven't", "hasn't"),
    "s": ("", "s"),
    "es": ("", "es"),
    "ies": ("y", "ies"),
}
# "is"/"was"/"has"/"does" name the same verb from the other side
_VERB_ALIASES = {"is": "are", "was": "were", "has": "have", "does": "do", "themselves": "themself"}
# endings (walk{s:who}) make no sense capitalised
_NO_CAPITAL = frozenset(("s", "es", "ies"))

FORM_KEYS: tuple[str, ...] = (*PRONOUN_FORMS, *_CONTRACTIONS, *_VERBS, *_VERB_ALIASES)


@dataclass(frozen=True, slots=True)
class Pronouns:
    """One member's pronouns. `plural` is True when verbs agree as with "they"."""

    they: str
    them: str
    their: str
    theirs: str
    themself: str
    plural: bool = False

    def form(self, key: str) -> str:
        """The word for a lower-case form key (see `form_key`); KeyError if unknown."""
        key = _VERB_ALIASES.get(key, key)
        if key in PRONOUN_FORMS:
            word: str = getattr(self, key)
            return word
        contraction = _CONTRACTIONS.get(key)
        if contraction is not None:
            return self.they + contraction[0 if self.plural else 1]
        verb = _VERBS[key]
        return verb[0 if self.plural else 1]

    def words(self) -> frozenset[str]:
        """Every pronoun word of this set, lower case (for tools that compare prose)."""
        return frozenset(w.lower() for w in (self.they, self.them, self.their, self.theirs, self.themself))

    def spec(self) -> str:
        """The short form `parse_pronouns` reads back."""
        for name, preset in PRESETS.items():
            if preset == self:
                return name
        parts = "/".join((self.they, self.them, self.their, self.theirs, self.themself))
        return parts + ("/plural" if self.plural else "")


PRESETS: dict[str, Pronouns] = {
    "they": Pronouns("they", "them", "their", "theirs", "themselves", plural=True),
    "she": Pronouns("she", "her", "her", "hers", "herself"),
    "he": Pronouns("he", "him", "his", "his", "himself"),
}
THEY = PRESETS["they"]
_SHORT = {"they/them": "they", "she/her": "she", "he/him": "he"}


class PronounError(ValueError):
    """A `pronouns:` value that names no set."""


def parse_pronouns(spec: str) -> Pronouns:
    """`she`, `he`, `they` (or `she/her`, ...), or a full set of five words
    `xe/xem/xyr/xyrs/xemself`, optionally followed by `/plural` for verbs as with "they"."""
    text = spec.strip()
    name = _SHORT.get(text.lower(), text.lower())
    if name in PRESETS:
        return PRESETS[name]
    parts = [p.strip() for p in text.split("/")]
    plural = False
    if len(parts) == 6 and parts[5].lower() == "plural":
        plural = True
        parts = parts[:5]
    if len(parts) != 5 or not all(p and p.replace("'", "").replace("-", "").isalpha() for p in parts):
        raise PronounError(
            f"pronouns {spec!r}: use she, he or they, or five words like xe/xem/xyr/xyrs/xemself"
        )
    they, them, their, theirs, themself = parts
    return Pronouns(they, them, their, theirs, themself, plural=plural)


def form_key(key: str) -> tuple[str, bool] | None:
    """(lower-case key, capitalised?) for a template form like `They're`; None if unknown."""
    lower = key.lower()
    if lower not in FORM_KEYS:
        return None
    capital = key[:1].isupper()
    if capital and (key[1:] != lower[1:] or lower in _NO_CAPITAL):
        return None  # `THEY`, `S`: not a form
    return lower, capital


def word(pronouns: Pronouns, key: str, capital: bool) -> str:
    out = pronouns.form(key)
    return out[:1].upper() + out[1:] if capital else out
