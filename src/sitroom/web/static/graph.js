// The actor graph: who supports, opposes or is part of whom, from GET /api/relations.
// A small deterministic force layout (Fruchterman–Reingold) keeps the picture the same on every
// load, which a reader comparing two days of reporting relies on.

import { h, s, shortDate } from "./dom.js";
import { kindColour } from "./palette.js";

const W = 820;
const H = 520;
const EDGE_STYLE = {
  supports: { colour: "#1e8449", label: "supports" },
  opposes: { colour: "#c0392b", label: "opposes" },
  part_of: { colour: "#7f8c8d", label: "is part of" },
};

/** Positions {id: [x, y]} inside W×H for the nodes, edges pulling, all nodes pushing apart. */
export function layout(ids, edges, iterations = 400) {
  const n = ids.length;
  const k = Math.sqrt((W * H) / Math.max(n, 1)) * 0.75;
  const pos = new Map(ids.map((id, i) => {
    const angle = (2 * Math.PI * i) / n;
    return [id, [W / 2 + (W / 3) * Math.cos(angle), H / 2 + (H / 3) * Math.sin(angle)]];
  }));
  let temperature = W / 8;
  for (let step = 0; step < iterations; step += 1) {
    const move = new Map(ids.map((id) => [id, [0, 0]]));
    for (let i = 0; i < n; i += 1) {
      for (let j = i + 1; j < n; j += 1) {
        const [a, b] = [pos.get(ids[i]), pos.get(ids[j])];
        const dx = a[0] - b[0];
        const dy = a[1] - b[1];
        const d = Math.max(Math.hypot(dx, dy), 0.01);
        const f = (k * k) / d;
        move.get(ids[i])[0] += (dx / d) * f;
        move.get(ids[i])[1] += (dy / d) * f;
        move.get(ids[j])[0] -= (dx / d) * f;
        move.get(ids[j])[1] -= (dy / d) * f;
      }
    }
    for (const e of edges) {
      const [a, b] = [pos.get(e.subject), pos.get(e.object)];
      const dx = a[0] - b[0];
      const dy = a[1] - b[1];
      const d = Math.max(Math.hypot(dx, dy), 0.01);
      const f = (d * d) / k;
      move.get(e.subject)[0] -= (dx / d) * f;
      move.get(e.subject)[1] -= (dy / d) * f;
      move.get(e.object)[0] += (dx / d) * f;
      move.get(e.object)[1] += (dy / d) * f;
    }
    for (const id of ids) {
      const [mx, my] = move.get(id);
      // A weak pull to the centre keeps unconnected pairs from drifting to the edges.
      const p = pos.get(id);
      const cx = (W / 2 - p[0]) * 0.02 * k;
      const cy = (H / 2 - p[1]) * 0.02 * k;
      const dx = mx + cx;
      const dy = my + cy;
      const d = Math.max(Math.hypot(dx, dy), 0.01);
      p[0] += (dx / d) * Math.min(d, temperature);
      p[1] += (dy / d) * Math.min(d, temperature);
    }
    temperature *= 0.985;
  }
  // Fit into the box, leaving a margin for labels.
  const xs = [...pos.values()].map((p) => p[0]);
  const ys = [...pos.values()].map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (W - 180) / Math.max(x1 - x0, 1);
  const sy = (H - 80) / Math.max(y1 - y0, 1);
  for (const p of pos.values()) {
    p[0] = 90 + (p[0] - x0) * sx;
    p[1] = 40 + (p[1] - y0) * sy;
  }
  return pos;
}

function arrowDefs() {
  return s("defs", {}, Object.entries(EDGE_STYLE).map(([pred, style]) =>
    s("marker", { id: `arrow-${pred}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7,
      markerHeight: 7, orient: "auto-start-reverse" },
    s("path", { d: "M0,0 L10,5 L0,10 z", fill: style.colour }))));
}

function edgePath(a, b, ra, rb) {
  // A gentle arc, so A→B and B→A are two visible lines rather than one on top of the other.
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const d = Math.max(Math.hypot(dx, dy), 1);
  const [ux, uy] = [dx / d, dy / d];
  const start = [a[0] + ux * ra, a[1] + uy * ra];
  const end = [b[0] - ux * (rb + 3), b[1] - uy * (rb + 3)];
  const bend = d * 0.12;
  const mid = [(start[0] + end[0]) / 2 - uy * bend, (start[1] + end[1]) / 2 + ux * bend];
  return `M${start[0]},${start[1]} Q${mid[0]},${mid[1]} ${end[0]},${end[1]}`;
}

/** Fill the graph view; clicking an actor calls onActor(id) to filter events by it. */
export function renderGraph(view, relations, actors, { onActor, selected, docs, evidence }) {
  if (!relations.length) {
    view.replaceChildren(h("p", { class: "empty" }, "No report says who backs or fights whom."));
    return;
  }
  const ids = [...new Set(relations.flatMap((r) => [r.subject, r.object]))].sort();
  const pos = layout(ids, relations);
  const degree = new Map(ids.map((id) => [id, 0]));
  for (const r of relations) {
    degree.set(r.subject, degree.get(r.subject) + 1);
    degree.set(r.object, degree.get(r.object) + 1);
  }
  const radius = (id) => 7 + Math.sqrt(degree.get(id)) * 3;
  const name = (id) => (actors.get(id) || { name: id }).name;
  const svg = s("svg", { class: "actor-graph", viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": "Who supports and opposes whom", "data-testid": "actor-graph" }, arrowDefs());
  for (const r of relations) {
    const style = EDGE_STYLE[r.predicate] || EDGE_STYLE.part_of;
    const path = s("path", {
      d: edgePath(pos.get(r.subject), pos.get(r.object), radius(r.subject), radius(r.object)),
      class: `edge edge-${r.predicate}`, stroke: style.colour, "marker-end": `url(#arrow-${r.predicate})`,
      "data-testid": "graph-edge",
    });
    path.append(s("title", {}, `${name(r.subject)} ${style.label} ${name(r.object)}`));
    svg.append(path);
  }
  for (const id of ids) {
    const [x, y] = pos.get(id);
    const actor = actors.get(id) || {};
    const node = s("g", { class: `node${id === selected ? " selected" : ""}`, "data-testid": "graph-node",
      "data-actor": id, tabindex: 0, role: "button" },
    s("circle", { cx: x, cy: y, r: radius(id), fill: kindColour(actor.kind) }),
    s("text", { x, y: y + radius(id) + 12, "text-anchor": "middle", class: "node-label" }, name(id)),
    s("title", {}, `${name(id)} (${(actor.kind || "actor").replace("_", " ")}) — click to filter events`));
    node.addEventListener("click", () => onActor(id));
    node.addEventListener("keydown", (ev) => ev.key === "Enter" && onActor(id));
    svg.append(node);
  }
  const kinds = [...new Set(ids.map((id) => (actors.get(id) || {}).kind).filter(Boolean))].sort();
  const legend = h("div", { class: "graph-legend" },
    Object.entries(EDGE_STYLE).map(([pred, style]) => {
      const line = h("span", { class: `legend-line edge-${pred}` });
      line.style.borderTopColor = style.colour;
      return h("span", { class: "legend-item" }, line, style.label);
    }),
    kinds.map((kind) => {
      const dot = h("span", { class: "legend-dot" });
      dot.style.background = kindColour(kind);
      return h("span", { class: "legend-item" }, dot, kind.replace("_", " "));
    }));
  // The ledger gives relations no verdict; the outlets that report one are shown instead (of
  // the first reports the API sends per edge, with how many there are in all).
  const outlets = (r) => {
    const named = [...new Set(r.document_ids.map((d) => (docs.get(d) || {}).source || d))].join(", ");
    const more = r.documents_total - r.document_ids.length;
    return more > 0 ? `${named} and ${more} more report${more === 1 ? "" : "s"}` : named;
  };
  const quote = (ev) => h("blockquote", { class: "quote" }, ev.quote,
    h("cite", {}, ` — ${(docs.get(ev.document_id) || {}).source || ev.document_id}`));
  // An edge comes with its first quotes; opening them asks for the rest.
  const quotes = (r) => {
    const box = h("details", { class: "quotes" },
      h("summary", {}, `evidence (${r.evidence_total} quote${r.evidence_total === 1 ? "" : "s"})`),
      r.evidence.map(quote));
    if (r.evidence_total > r.evidence.length && evidence) {
      box.addEventListener("toggle", async () => {
        if (!box.open || box.dataset.whole) return;
        box.dataset.whole = "1";
        try {
          const all = await evidence(r);
          box.replaceChildren(box.firstChild, ...all.map(quote));
        } catch (err) {
          box.append(h("p", { class: "empty" }, `Could not load the rest: ${err.message}`));
        }
      });
    }
    return box;
  };
  const rows = relations.map((r) => h("li", { class: "relation", "data-testid": "relation" },
    h("strong", {}, name(r.subject)), ` ${(EDGE_STYLE[r.predicate] || { label: r.predicate }).label} `,
    h("strong", {}, name(r.object)),
    h("span", { class: "muted" }, ` · ${shortDate(r.first_seen)}${r.last_seen && r.last_seen !== r.first_seen ? ` – ${shortDate(r.last_seen)}` : ""}`),
    h("span", { class: "muted" }, ` · ${outlets(r)}`),
    quotes(r)));
  view.replaceChildren(
    h("p", { class: "view-intro" }, `${ids.length} actors, ${relations.length} relations. Click an actor to filter the events.`),
    legend, svg, h("ul", { class: "relations" }, rows));
}
