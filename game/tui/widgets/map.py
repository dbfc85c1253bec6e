"""The map: drawn from the story's locations (`area`, `map: [x, y]`) for the current
area, so places writers add appear by themselves. Links come from the scene graph. Full
place names (wrapped in their cell), and the way the run came, numbered in order."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...engine import rules
from ...engine.check import scene_edges
from ...engine.model import HERE, Location, Story
from ...engine.state import GameState

GAP = 3


_LINKS: dict[int, tuple[Story, frozenset[tuple[str, str]]]] = {}


def location_links(story: Story) -> frozenset[tuple[str, str]]:
    """Pairs of locations (sorted) joined by at least one choice between their scenes."""
    cached = _LINKS.get(id(story))
    if cached is not None and cached[0] is story:
        return cached[1]
    links: set[tuple[str, str]] = set()
    for scene in story.scenes.values():
        for _, target, _ in scene_edges(scene):
            other = story.scenes.get(target)
            if other is None or other.location == scene.location or HERE in (scene.location, other.location):
                continue
            a, b = sorted((scene.location, other.location))
            links.add((a, b))
    if len(_LINKS) > 8:
        _LINKS.clear()
    result = frozenset(links)
    _LINKS[id(story)] = (story, result)
    return result


def visited_locations(story: Story, state: GameState) -> set[str]:
    return {story.scenes[sid].location for sid in state.visits if sid in story.scenes} - {HERE}


def trail_of(story: Story, states: list[GameState]) -> list[str]:
    """The places a run went through, in order (a place stayed in counts once)."""
    out: list[str] = []
    for state in states:
        where = rules.location(story, state)
        if where and where != HERE and where in story.locations and (not out or out[-1] != where):
            out.append(where)
    return out


def _cell_lines(name: str, cell: int, rows: int) -> list[str]:
    """A place's full name in a cell: wrapped at spaces onto up to `rows` lines; a word
    longer than the cell is split with a hyphen. Cut with "…" only when even that is not
    enough."""
    words: list[str] = []
    for word in name.split():
        while len(word) > cell:
            words.append(word[: cell - 1] + "-")
            word = word[cell - 1 :]
        words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and not lines[-1].endswith("-") and len(lines[-1]) + 1 + len(word) <= cell:
            lines[-1] += " " + word
        else:
            lines.append(word)
    lines = lines or [""]
    if len(lines) > rows:
        lines = lines[:rows]
        lines[-1] = lines[-1][: cell - 1] + "…"
    return lines


def render_map(story: Story, state: GameState, width: int = 60, trail: list[str] | None = None) -> Text:
    here = rules.location(story, state)
    here_loc = story.locations.get(here)
    area = here_loc.area if here_loc else ""
    grid: dict[tuple[int, int], Location] = {}
    unplaced: list[Location] = []
    for loc in story.locations.values():
        if loc.area != area:
            continue
        if loc.map is None:
            unplaced.append(loc)
        else:
            grid.setdefault(loc.map, loc)
    out = Text(no_wrap=True, overflow="crop")
    title = area.capitalize() or "Nowhere"
    out.append(title, "bold")
    if here_loc is not None:
        out.append(f"  (you are in {here_loc.name})", "dim")
    out.append("\n")
    if not grid:
        out.append("No map of this area.", "dim")
        return out
    visited = visited_locations(story, state)
    links = location_links(story)
    path = [p for p in (trail or []) if p in story.locations and story.locations[p].area == area]
    step_of = {place: n for n, place in enumerate(path, 1)}  # the last visit's number
    cols = max(x for x, _ in grid) + 1
    rows = max(y for _, y in grid) + 1
    gap = GAP if (width - GAP * (cols - 1)) // cols >= 8 else 1
    cell = max(4, min(18, (width - gap * (cols - 1)) // cols))
    name_rows = 1 if cell >= 16 else (2 if cell >= 9 else 3)

    def linked(a: Location | None, b: Location | None) -> bool:
        return a is not None and b is not None and tuple(sorted((a.id, b.id))) in links

    def shown_name(place: Location) -> str:
        if place.id == here:
            return "@" + place.name
        if place.id in step_of:
            return f"{step_of[place.id]}·{place.name}"
        return place.name

    def style_of(place: Location) -> str:
        if place.id == here:
            return "bold reverse"
        if place.id in step_of:
            return "bold underline"
        return "bold" if place.id in visited else "dim"

    adjacent: set[tuple[str, str]] = set()
    if cell < 9:
        # too narrow for a grid of whole names (80x24 and less): each row of the map is a
        # line of whole names, west to east, "─" between neighbours with a way through
        for y in range(rows):
            xs = [x for x in range(cols) if (x, y) in grid]
            line_len = 0
            for i, x in enumerate(xs):
                spot = grid[(x, y)]
                name = shown_name(spot)
                if i:
                    west = grid[(xs[i - 1], y)]
                    joined = xs[i - 1] + 1 == x and linked(west, spot)
                    if joined:
                        adjacent.add(tuple(sorted((west.id, spot.id))))  # type: ignore[arg-type]
                    sep = " ─ " if joined else "  ·  "
                    if line_len + len(sep) + len(name) > width:
                        out.append("\n  ")
                        line_len = 2
                        sep = "─ " if joined else ""
                    out.append(sep, "dim")
                    line_len += len(sep)
                out.append(name, style_of(spot))
                line_len += len(name)
            out.append("\n")
        rows = 0  # the grid below draws nothing
    for y in range(rows):
        row = {x: grid[(x, y)] for x in range(cols) if (x, y) in grid}
        labels = {x: _cell_lines(shown_name(place), cell, name_rows) for x, place in row.items()}
        height = max((len(v) for v in labels.values()), default=1)
        for line_no in range(height):
            line = Text()
            for x in range(cols):
                place = grid.get((x, y))
                if place is None:
                    line.append(" " * cell)
                else:
                    label = (labels[x][line_no] if line_no < len(labels[x]) else "").ljust(cell)
                    line.append(label, style_of(place))
                if x < cols - 1:
                    right = grid.get((x + 1, y))
                    joined = line_no == 0 and linked(place, right)
                    line.append("─" * gap if joined else " " * gap, "dim" if joined else "")
                    if joined and place and right:
                        adjacent.add(tuple(sorted((place.id, right.id))))  # type: ignore[arg-type]
            out.append_text(line)
            out.append("\n")
        if y < rows - 1:
            below = Text()
            for x in range(cols):
                place, down = grid.get((x, y)), grid.get((x, y + 1))
                joined_down = linked(place, down)
                below.append(" " * (cell // 2) + ("│" if joined_down else " ") + " " * (cell - cell // 2 - 1))
                if joined_down and place and down:
                    adjacent.add(tuple(sorted((place.id, down.id))))  # type: ignore[arg-type]
                if x < cols - 1:
                    below.append(" " * gap)
            out.append_text(below)
            out.append("\n")
    if len(path) > 1:
        out.append("The way you came: ", "bold")
        shown = path[-6:]
        names = [story.locations[p].name for p in shown]
        out.append(("… → " if len(path) > 6 else "") + " → ".join(names) + "\n")
    # links the grid cannot draw (not side by side) are listed under it, briefly
    ids = {loc.id for loc in grid.values()} | {loc.id for loc in unplaced}
    others = sorted(pair for pair in links if pair[0] in ids and pair[1] in ids and pair not in adjacent)
    if others:
        out.append("Also: ", "dim")
        pairs = [f"{story.locations[a].name} ↔ {story.locations[b].name}" for a, b in others[:3]]
        out.append("; ".join(pairs), "dim")
        out.append(f"; {len(others) - 3} more\n" if len(others) > 3 else "\n", "dim")
    out.append("@here", "bold reverse")
    out.append("  ")
    out.append("2·on your way", "bold underline")
    out.append("  ")
    out.append("visited", "bold")
    out.append("  ")
    out.append("not yet", "dim")
    return out


class MapPanel(Widget):
    """Drawn from the last state it was shown, at its current width."""

    story: Story | None = None
    state: GameState | None = None
    trail: list[str] = []

    def show(self, story: Story, state: GameState, trail: list[str] | None = None) -> None:
        self.story, self.state, self.trail = story, state, trail or []
        if self.display:  # a hidden map is drawn when it is shown
            self.refresh(layout=True)

    def render(self) -> Text:
        if self.story is None or self.state is None:
            return Text()
        return render_map(self.story, self.state, self.content_region.width or 60, self.trail)
