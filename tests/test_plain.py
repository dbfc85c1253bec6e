"""Line mode's text: what a player in `play --plain` reads."""

from game import plain
from game.plain import plain_text, wrap


def test_emphasis_over_a_line_break_shows_the_words_only() -> None:
    source = "A voice: *This is the army. Go to the\nYangdong road now.* Then quiet."
    assert plain_text(source) == "A voice: This is the army. Go to the\nYangdong road now. Then quiet."
    assert "*" not in wrap(source)


def test_emphasis_never_reaches_over_a_paragraph_break() -> None:
    # two stray stars in two paragraphs are not one italic passage
    assert plain_text("Rated 5* here.\n\nAnd 4* there.") == "Rated 5* here.\n\nAnd 4* there."


def test_bold_and_italic_in_one_line() -> None:
    assert plain_text("**Stop.** She *means* it.") == "Stop. She means it."


def test_an_event_is_one_wrapped_bullet_whatever_its_line_breaks_in_the_story_file() -> None:
    # a `|` block in YAML keeps the writer's line breaks; replay --headless printed them
    # as they were ("* Untied" and "again, in the middle again." on two lines)
    assert plain.bullet("Untied\n  again, in the middle again.\n") == "  * Untied again, in the middle again."
    long = plain.bullet("word " * 40)
    lines = long.splitlines()
    assert len(lines) > 1 and lines[0].startswith("  * ") and all(line.startswith("    ") for line in lines[1:])
    assert max(map(len, lines)) <= plain.WIDTH
