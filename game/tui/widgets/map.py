"""The map: drawn from the story's locations (`area`, `map: [x, y]`) for the current
area, so places writers add appear by themselves. Links come from the scene graph."""

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


def render_map(story: Story, state: GameState, width: int = 60) -> Text:
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
    cols = max(x for x, _ in grid) + 1
    rows = max(y for _, y in grid) + 1
    gap = GAP if (width - GAP * (cols - 1)) // cols >= 8 else 1
    cell = max(4, min(16, (width - gap * (cols - 1)) // cols))

    def linked(a: Location | None, b: Location | None) -> bool:
        return a is not None and b is not None and tuple(sorted((a.id, b.id))) in links

    adjacent: set[tuple[str, str]] = set()
    for y in range(rows):
        line = Text()
        below = Text()
        for x in range(cols):
            place = grid.get((x, y))
            if place is None:
                line.append(" " * cell)
            else:
                mark = "@" if place.id == here else ""
                label = (mark + place.name)[:cell].ljust(cell)
                if place.id == here:
                    line.append(label, "bold reverse")
                elif place.id in visited:
                    line.append(label, "bold")
                else:
                    line.append(label, "dim")
            down = grid.get((x, y + 1))
            joined_down = linked(place, down)
            below.append(" " * (cell // 2) + ("│" if joined_down else " ") + " " * (cell - cell // 2 - 1))
            if joined_down and place and down:
                adjacent.add(tuple(sorted((place.id, down.id))))  # type: ignore[arg-type]
            if x < cols - 1:
                right = grid.get((x + 1, y))
                joined = linked(place, right)
                line.append("─" * gap if joined else " " * gap, "dim" if joined else "")
                below.append(" " * gap)
                if joined and place and right:
                    adjacent.add(tuple(sorted((place.id, right.id))))  # type: ignore[arg-type]
        out.append_text(line)
        out.append("\n")
        if y < rows - 1:
            out.append_text(below.copy())
            out.append("\n")
    # links the grid cannot draw (not side by side) are listed under it
    ids = {loc.id for loc in grid.values()} | {loc.id for loc in unplaced}
    others = sorted(pair for pair in links if pair[0] in ids and pair[1] in ids and pair not in adjacent)
    for a, b in others[:6]:
        out.append(f"{story.locations[a].name} ↔ {story.locations[b].name}\n", "dim")
    if len(others) > 6:
        out.append(f"... and {len(others) - 6} more paths\n", "dim")
    out.append("@here", "bold reverse")
    out.append("  ")
    out.append("visited", "bold")
    out.append("  ")
    out.append("not yet", "dim")
    return out


class MapPanel(Widget):
    """Drawn from the last state it was shown, at its current width."""

    story: Story | None = None
    state: GameState | None = None

    def show(self, story: Story, state: GameState) -> None:
        self.story, self.state = story, state
        if self.display:  # a hidden map is drawn when it is shown
            self.refresh(layout=True)

    def render(self) -> Text:
        if self.story is None or self.state is None:
            return Text()
        return render_map(self.story, self.state, self.content_region.width or 60)
