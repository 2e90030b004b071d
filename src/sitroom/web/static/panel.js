// The event panel: the merged event, then each source's report of it side by side, every field
// with the ledger's verdict, so a reader sees at a glance where outlets agree and where not.

import { api } from "./api.js";
import { badge, eventTitle, fuzzyDate, h, placeName, shortDate } from "./dom.js";

// The fields each source column shows, in order: [claim field, label, value from a report event].
const FIELDS = [
  ["event_date", "Date", (e) => fuzzyDate(e.event_date, e.date_precision)],
  ["location", "Place", (e) => (e.location ? e.location.name : null)],
  ["actor1", "Actor", (e, name) => (e.actor1 ? name(e.actor1) : null)],
  ["actor2", "Target", (e, name) => (e.actor2 ? name(e.actor2) : null)],
  ["fatalities", "Killed", (e) => e.fatalities_text ?? (e.fatalities != null ? String(e.fatalities) : null)],
  ["event_type", "Type", (e) => e.sub_event_type || e.event_type || e.plover_type],
  ["status", "Status", (e) => e.status],
];

/** A link only for http(s) addresses: a report's URL could be `javascript:` as easily. */
function safeLink(url, text) {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") {
      return h("a", { href: parsed.href, target: "_blank", rel: "noopener noreferrer" }, text);
    }
  } catch {
    // not a URL: shown as text below
  }
  return h("span", {}, text);
}

function fatalitiesText(event) {
  const range = event.fatality_range;
  if (range && range.low !== range.high) return `${range.best} (reports say ${range.low}–${range.high})`;
  return event.fatalities != null ? String(event.fatalities) : "not reported";
}

function summary(event, name) {
  const actors = [event.actor1, event.actor2].filter(Boolean).map(name).join(" vs ") || "unidentified";
  const types = [event.event_type, event.sub_event_type, event.plover_type].filter(Boolean).join(" · ");
  const rows = [
    ["Date", fuzzyDate(event.event_date, event.date_precision)],
    ["Place", placeName(event.location, { withCountry: true })],
    ["Actors", actors],
    ["Killed", fatalitiesText(event)],
    ["Status", event.status],
    ["Type", types || "—"],
    ["Sources", `${event.sources} independent (${event.reports.length} report${event.reports.length === 1 ? "" : "s"})`],
  ];
  return h("dl", { class: "summary", "data-testid": "event-summary" },
    rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

/** One member event's passage: its quote and its values, each with the field's verdict. */
function passage(event, verdicts, name) {
  const quote = event.evidence && event.evidence.length ? event.evidence[0].quote : "";
  const rows = FIELDS.map(([field, label, get]) => {
    const value = get(event, name);
    const verdict = verdicts.get(field);
    return h("div", { class: "field-row", "data-field": field },
      h("span", { class: "field-label" }, label),
      h("span", { class: "field-value" }, value ?? "—", value != null && verdict ? [" ", badge(verdict)] : null));
  });
  return h("div", { class: "passage", "data-event-id": event.id },
    h("blockquote", { class: "quote", "data-testid": "source-quote" }, quote),
    event.claimed_by ? h("div", { class: "muted claimed" }, `according to ${name(event.claimed_by)}`) : null,
    h("div", { class: "fields" }, rows));
}

/** One report's column: the outlet, its headline and date, then its passages on the event. */
function sourceColumn(doc, events, verdicts, groups, docsById, name) {
  const group = groups.get(events[0].id);
  const copyOf = group && group !== doc.id ? docsById.get(group) : null;
  const full = h("details", { class: "full-text" }, h("summary", {}, "Full report"));
  full.addEventListener("toggle", async () => {
    if (!full.open || full.dataset.loaded) return;
    full.dataset.loaded = "1";
    const pre = h("pre", { class: "report-text", "data-testid": "report-text" }, "loading…");
    full.append(pre);
    try {
      pre.textContent = (await api.document(doc.id)).text;
    } catch (err) {
      pre.textContent = String(err.message);
    }
  });
  const headline = doc.title || doc.ref || doc.id;
  return h("article", { class: "source", "data-testid": "source", "data-document-id": doc.id },
    h("header", { class: "source-head" },
      h("div", { class: "outlet", "data-testid": "source-outlet" }, doc.source || "unknown outlet"),
      h("div", { class: "source-title", "data-testid": "source-title" },
        doc.url ? safeLink(doc.url, headline) : headline),
      h("div", { class: "muted" }, `published ${shortDate(doc.published)}`),
      copyOf ? h("div", { class: "wire-note" }, `same wire copy as ${copyOf.source || copyOf.id}`) : null),
    events.map((e) => passage(e, verdicts, name)),
    full);
}

/** Fill the panel with one event from GET /api/events/{id}. */
export function renderPanel(panel, event, { actorName, onClose }) {
  const verdicts = new Map(event.claims.map((c) => [c.field, c.verdict]));
  const groups = new Map();
  for (const claim of event.claims) {
    for (const v of claim.values) groups.set(v.event_id, v.source_group);
  }
  const docsById = new Map(event.reports.filter((r) => r.document).map((r) => [r.document.id, r.document]));
  // A report may tell the event in two passages; it is still one source, so one column.
  const byDocument = new Map();
  for (const r of event.reports) {
    const doc = r.document || { id: r.event.document_id, source: null, title: null };
    if (!byDocument.has(doc.id)) byDocument.set(doc.id, { doc, events: [] });
    byDocument.get(doc.id).events.push(r.event);
  }
  const title = eventTitle(event);
  const fieldBadges = event.claims.filter((c) => c.field !== "control").map((c) =>
    h("span", { class: "claim-chip" }, `${c.field.replace("_", " ")} `, badge(c.verdict)));
  panel.replaceChildren(
    h("header", { class: "panel-head" },
      h("div", {},
        h("div", { class: "panel-kicker" }, event.event_type || event.plover_type || ""),
        h("h2", { class: "panel-title", "data-testid": "event-title" }, title)),
      h("button", { type: "button", class: "close", "aria-label": "Close", "data-testid": "panel-close", onclick: onClose }, "×")),
    h("div", { class: "panel-verdict" }, badge(event.verdict, "overall")),
    summary(event, actorName),
    h("div", { class: "claim-chips" }, fieldBadges),
    h("h3", { class: "section-title" }, "Each source, side by side"),
    h("div", { class: "sources", "data-testid": "sources" },
      [...byDocument.values()].map(({ doc, events }) => sourceColumn(doc, events, verdicts, groups, docsById, actorName))),
  );
  panel.hidden = false;
  panel.scrollTop = 0;
}
