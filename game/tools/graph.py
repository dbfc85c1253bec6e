"""The scene graph as Graphviz DOT or Mermaid: clustered by location, endings marked,
conditional and rolled edges drawn differently, unreachable scenes highlighted.

Reachability here is the checker's (`check.reachable_scenes`): every edge counts,
whatever its condition. `hyosan explore` answers the stricter question (reachable by
some run, conditions and state included).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.check import reachable_scenes
from ..engine.model import HERE, Choice, Story


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    choice: str
    kind: str  # plain | conditional | roll
    chance: float | None = None  # the outcome's share of the base weights, for rolls


@dataclass(frozen=True, slots=True)
class SceneGraph:
    story: Story
    edges: tuple[Edge, ...]
    reachable: frozenset[str]
    only: frozenset[str] | None = None  # drawn in full; others appear as grey stubs
    clusters: bool = True

    @property
    def unreachable(self) -> list[str]:
        return [sid for sid in self.story.scenes if sid not in self.reachable]

    def drawn(self, sid: str) -> bool:
        return self.only is None or sid in self.only


def select(story: Story, only: str) -> frozenset[str]:
    """The scenes of one part: an area, a location, a story file (its path as `check`
    prints it, or relative to the story folder) or a scene id prefix, tried in that order.
    ValueError (with what there is) when nothing matches."""
    areas = {loc.area for loc in story.locations.values()}
    if only in areas:
        return frozenset(
            s.id
            for s in story.scenes.values()
            if (loc := story.locations.get(s.location)) and loc.area == only
        )
    if only in story.locations:
        return frozenset(s.id for s in story.scenes.values() if s.location == only)
    wanted = only.replace("\\", "/").removeprefix("./")
    by_file = frozenset(
        s.id
        for s in story.scenes.values()
        if s.pos.path.replace("\\", "/") == wanted or s.pos.path.replace("\\", "/").endswith("/" + wanted)
    )
    if by_file:
        return by_file
    by_prefix = frozenset(sid for sid in story.scenes if sid.startswith(only))
    if by_prefix:
        return by_prefix
    raise ValueError(
        f"--only {only!r} matches no area, location, story file or scene id prefix "
        f"(areas: {', '.join(sorted(areas)) or 'none'})"
    )


def build(story: Story, only: frozenset[str] | None = None, clusters: bool = True) -> SceneGraph:
    edges: list[Edge] = []
    for scene in story.scenes.values():
        for choice in scene.choices:
            edges.extend(_choice_edges(scene.id, choice))
    if only is not None:  # the part's own edges, and the ways in and out of it
        edges = [e for e in edges if e.source in only or e.target in only]
    return SceneGraph(story, tuple(edges), frozenset(reachable_scenes(story)), only, clusters)


def _choice_edges(scene_id: str, choice: Choice) -> list[Edge]:
    conditional = choice.shown_if is not None or bool(choice.requires)
    if choice.goto:
        return [Edge(scene_id, choice.goto, choice.id, "conditional" if conditional else "plain")]
    total = sum(o.chance for o in choice.roll)
    out: list[Edge] = []
    for outcome in choice.roll:
        if outcome.goto:
            share = outcome.chance / total if total > 0 else None
            out.append(Edge(scene_id, outcome.goto, choice.id, "roll", share))
    return out


def _edge_label(edge: Edge) -> str:
    if edge.kind == "roll" and edge.chance is not None:
        return f"{edge.choice} ({edge.chance:.0%})"
    return edge.choice


def _groups(graph: SceneGraph) -> dict[str, dict[str, list[str]]]:
    """area -> location -> scene ids drawn in full, in story order."""
    story = graph.story
    groups: dict[str, dict[str, list[str]]] = {}
    for scene in story.scenes.values():
        if not graph.drawn(scene.id):
            continue
        location = story.locations.get(scene.location)
        area = location.area if location else ("events" if scene.location == HERE else "world")
        groups.setdefault(area, {}).setdefault(scene.location, []).append(scene.id)
    return groups


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: SceneGraph) -> str:
    story = graph.story
    lines = [
        f"digraph {_q(story.title)} {{",
        # newrank: Graphviz 2.43 (Debian 12) fails "trouble in init_rank" on nested
        # clusters with edges between them without it
        "  rankdir=LR; newrank=true;",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
        '  "__start" [shape=point, width=0.15, label=""];',
    ]
    if graph.drawn(story.start):
        lines.append(f'  "__start" -> {_q(story.start)};')
    for area, locations in _groups(graph).items():
        if graph.clusters:
            lines.append(f"  subgraph {_q('cluster_area_' + area)} {{")
            lines.append(f'    label={_q(area)}; style="rounded"; color="#888888";')
        for location_id, scene_ids in locations.items():
            location = story.locations.get(location_id)
            if graph.clusters:
                lines.append(f"    subgraph {_q('cluster_' + location_id)} {{")
                lines.append(f'      label={_q(location.name if location else location_id)}; style="dashed";')
            for sid in scene_ids:
                lines.append("      " + _dot_node(graph, sid))
            if graph.clusters:
                lines.append("    }")
        if graph.clusters:
            lines.append("  }")
    for sid in _stubs(graph):
        label = sid + "\\n(" + _area_of(story, sid).replace('"', '\\"') + ")"
        lines.append(f'  {_q(sid)} [label="{label}", {_STUB}];')
    for event in story.events:
        if not graph.drawn(event.scene):
            continue
        node = "event:" + event.id
        trigger = event.on or (event.when.source if event.when else "")
        lines.append(
            f'  {_q(node)} [shape=diamond, fillcolor="#fff3c4", label={_q(event.id + chr(10) + trigger)}];'
        )
        lines.append(f'  {_q(node)} -> {_q(event.scene)} [style=dashed, color="#b08800"];')
    for edge in graph.edges:
        style = {"plain": "solid", "conditional": "dashed", "roll": "dotted"}[edge.kind]
        color = {"plain": "#333333", "conditional": "#1f6fb2", "roll": "#b2361f"}[edge.kind]
        lines.append(
            f"  {_q(edge.source)} -> {_q(edge.target)} "
            f"[label={_q(_edge_label(edge))}, style={style}, color={_q(color)}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


_STUB = 'shape=box, style="dashed", color="#999999", fontcolor="#666666"'


def _stubs(graph: SceneGraph) -> list[str]:
    """Scenes outside `--only` that its edges lead to or come from, in story order."""
    if graph.only is None:
        return []
    ends = {e.source for e in graph.edges} | {e.target for e in graph.edges}
    return [sid for sid in graph.story.scenes if sid in ends and sid not in graph.only]


def _area_of(story: Story, sid: str) -> str:
    scene = story.scenes[sid]
    location = story.locations.get(scene.location)
    return location.area if location else ("events" if scene.location == HERE else "world")


def _dot_node(graph: SceneGraph, sid: str) -> str:
    scene = graph.story.scenes[sid]
    attrs: list[str] = []
    label = sid
    if scene.ending is not None:
        label = f"{sid}\\n[{scene.ending.kind}: {scene.ending.title}]"
        attrs += ["shape=doubleoctagon", 'fillcolor="#d7f5d0"']
    if sid not in graph.reachable:
        attrs += ['fillcolor="#ffd0d0"', 'color="#cc0000"', "penwidth=2"]
        label += "\\n(unreachable)"
    if sid == graph.story.start:
        attrs.append("penwidth=2")
    attrs.insert(0, "label=" + '"' + label.replace('"', '\\"') + '"')
    return f"{_q(sid)} [{', '.join(attrs)}];"


def to_mermaid(graph: SceneGraph) -> str:
    story = graph.story
    # Mermaid ids cannot be arbitrary (`end` is a keyword): number the scenes.
    ids = {sid: f"s{i}" for i, sid in enumerate(story.scenes)}
    lines = ["flowchart LR", "  start((start))"]
    if story.start in ids and graph.drawn(story.start):
        lines.append(f"  start --> {ids[story.start]}")
    for sid in _stubs(graph):
        lines.append(f'  {ids[sid]}["{_m_text(sid + " (" + _area_of(story, sid) + ")")}"]:::stub')
    for area, locations in _groups(graph).items():
        lines.append(f'  subgraph area_{_m_id(area)}["{_m_text(area)}"]')
        for location_id, scene_ids in locations.items():
            location = story.locations.get(location_id)
            name = location.name if location else location_id
            lines.append(f'    subgraph loc_{_m_id(location_id)}["{_m_text(name)}"]')
            for sid in scene_ids:
                scene = story.scenes[sid]
                if scene.ending is not None:
                    text = f"{sid}<br/>{scene.ending.kind}: {scene.ending.title}"
                    lines.append(f'      {ids[sid]}(["{_m_text(text)}"])')
                else:
                    lines.append(f'      {ids[sid]}["{_m_text(sid)}"]')
            lines.append("    end")
        lines.append("  end")
    for i, event in enumerate(story.events):
        if event.scene not in ids or not graph.drawn(event.scene):
            continue
        trigger = event.on or (event.when.source if event.when else "")
        lines.append(f'  e{i}{{"{_m_text(event.id + ": " + trigger)}"}} -.-> {ids[event.scene]}')
    for edge in graph.edges:
        if edge.source not in ids or edge.target not in ids:
            continue
        arrow = {"plain": "-->", "conditional": "-.->", "roll": "==>"}[edge.kind]
        lines.append(f'  {ids[edge.source]} {arrow}|"{_m_text(_edge_label(edge))}"| {ids[edge.target]}')
    lines.append("  classDef ending fill:#d7f5d0,stroke:#2d7a1f")
    lines.append("  classDef unreachable fill:#ffd0d0,stroke:#cc0000,stroke-width:2px")
    lines.append("  classDef stub fill:#ffffff,stroke:#999999,stroke-dasharray:4,color:#666666")
    endings = [ids[s.id] for s in story.scenes.values() if s.ending is not None and graph.drawn(s.id)]
    if endings:
        lines.append(f"  class {','.join(endings)} ending")
    unreachable = [ids[sid] for sid in graph.unreachable if graph.drawn(sid)]
    if unreachable:
        lines.append(f"  class {','.join(unreachable)} unreachable")
    return "\n".join(lines) + "\n"


def _m_id(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)


def _m_text(text: str) -> str:
    return text.replace('"', "#quot;")


def render(story: Story, fmt: str, only: str | None = None, clusters: bool = True) -> str:
    """The graph as text; `only` (see `select`) draws one part. ValueError for a bad
    format or an `only` that matches nothing."""
    graph = build(story, select(story, only) if only else None, clusters)
    if fmt == "dot":
        return to_dot(graph)
    if fmt == "mermaid":
        return to_mermaid(graph)
    raise ValueError(f"unknown graph format {fmt!r} (dot or mermaid)")
