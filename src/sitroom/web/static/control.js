// Control by place: for each place, who was reported holding, taking or losing it and when,
// drawn as lanes on a day axis, then listed with sources; contradicted entries are marked.

import { badge, dayNumber, fuzzyDate, h, isoDay, s } from "./dom.js";
import { actorColour } from "./palette.js";

const LANE = 18; // px per entry
const GAP = 10; // px between places
const LABEL_W = 110;
const RIGHT_W = 150; // room for the last bar's text

function chart(timelines, name) {
  const days = timelines.flatMap((t) => t.entries.flatMap((e) => [e.since, e.until].filter(Boolean)))
    .map(dayNumber);
  if (!days.length) return null;
  const first = Math.min(...days) - 1;
  const last = Math.max(...days) + 1;
  const width = 760;
  const step = (width - LABEL_W - RIGHT_W) / (last - first + 1);
  const rows = timelines.reduce((n, t) => n + t.entries.length, 0);
  const height = 24 + rows * LANE + timelines.length * GAP;
  const svg = s("svg", { class: "control-chart", viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-label": "Control of each place over time" });
  const x = (day) => LABEL_W + (day - first) * step;
  const everyDay = Math.max(1, Math.ceil(40 / step));
  for (let day = first; day <= last; day += everyDay) {
    svg.append(
      s("line", { x1: x(day), x2: x(day), y1: 16, y2: height, class: "grid" }),
      s("text", { x: x(day) + 2, y: 11, class: "tick" }, new Date(day * 86400000)
        .toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" })),
    );
  }
  let y = 22;
  for (const timeline of timelines) {
    svg.append(s("text", { x: 4, y: y + 12, class: "place-name" }, timeline.place.name));
    for (const entry of timeline.entries) {
      const conflict = entry.verdict === "contradicted";
      if (!entry.since && !entry.until) {
        // An undated claim has no place on the day axis: a label in the lane, no bar.
        svg.append(s("text", { x: LABEL_W, y: y + 13, class: `bar-label undated${conflict ? " conflict" : ""}` },
          `${conflict ? "⚠ " : ""}${name(entry.controller)} · ${entry.status} (undated)`));
        y += LANE;
        continue;
      }
      const a = dayNumber(entry.since || entry.until);
      const b = dayNumber(entry.until || entry.since);
      const bar = s("rect", {
        x: x(a), y: y + 2, width: Math.max((b - a + 1) * step, 4), height: LANE - 5, rx: 3,
        fill: actorColour(entry.controller),
        class: `bar status-${entry.status}${conflict ? " conflict" : ""}`,
      });
      bar.append(s("title", {}, `${name(entry.controller)} ${entry.status}, ${isoDay(a)} – ${isoDay(b)} (${entry.verdict})`));
      svg.append(bar, s("text", { x: x(b + 1) + 4, y: y + 13, class: `bar-label${conflict ? " conflict" : ""}` },
        `${conflict ? "⚠ " : ""}${name(entry.controller)} · ${entry.status}`));
      y += LANE;
    }
    y += GAP;
  }
  return svg;
}

function entryRow(entry, name, docs) {
  const outlets = [...new Set(entry.document_ids.map((id) => (docs.get(id) || {}).source || id))];
  const when = entry.until && entry.until !== entry.since
    ? `${fuzzyDate(entry.since, entry.date_precision)} – ${fuzzyDate(entry.until, entry.date_precision)}`
    : fuzzyDate(entry.since || entry.until, entry.date_precision);
  const swatch = h("span", { class: "swatch" });
  swatch.style.background = actorColour(entry.controller);
  const quotes = h("details", { class: "quotes" }, h("summary", {}, `${entry.evidence.length} quote${entry.evidence.length === 1 ? "" : "s"}`),
    entry.evidence.map((ev) => h("blockquote", { class: "quote" },
      ev.quote, h("cite", {}, ` — ${(docs.get(ev.document_id) || {}).source || ev.document_id}`))));
  return h("tr", { class: entry.verdict === "contradicted" ? "conflict" : null, "data-testid": "control-entry",
    "data-verdict": entry.verdict },
    h("td", {}, swatch, name(entry.controller)),
    h("td", {}, entry.status),
    h("td", {}, when),
    h("td", {}, outlets.join(", ")),
    h("td", {}, badge(entry.verdict)),
    h("td", {}, quotes));
}

/** Fill the control view from GET /api/control; `docs` maps document id -> document. */
export function renderControl(view, timelines, { actorName, docs }) {
  if (!timelines.length) {
    view.replaceChildren(h("p", { class: "empty" }, "No report says who controls any place."));
    return;
  }
  const conflicts = timelines.reduce((n, t) => n + t.entries.filter((e) => e.verdict === "contradicted").length, 0);
  view.replaceChildren(
    h("p", { class: "view-intro" },
      `${timelines.length} place${timelines.length === 1 ? "" : "s"} · ${conflicts} contradicted entr${conflicts === 1 ? "y" : "ies"} `,
      h("span", { class: "conflict-key" }, "⚠ outlined in red"),
      " — sources disagree on who held the place then."),
    chart(timelines, actorName),
    ...timelines.map((t) => h("section", { class: "control-place", "data-testid": "control-place" },
      h("h3", {}, t.place.name, t.place.country ? h("span", { class: "muted" }, ` ${t.place.country}`) : null),
      h("table", { class: "control-table" },
        h("thead", {}, h("tr", {}, ["Controller", "Status", "When", "Sources", "Verdict", "Evidence"].map((c) => h("th", {}, c)))),
        h("tbody", {}, t.entries.map((e) => entryRow(e, actorName, docs)))))),
  );
}
