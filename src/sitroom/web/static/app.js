// The sitroom page: loads the picture from the JSON API and keeps the filters, the timeline,
// the events list, the map and the event panel in step. No build step: plain ES modules.
// It never loads every event: the map asks for the events in its bounds and date window, the
// list for a page of those in the date window, the timeline and the menus for counts
// (/api/overview); each filter is a query the server answers from its indexes.

import { api } from "./api.js";
import { badge, eventTitle, fuzzyDate, h, isoDay, placeName, setChildren } from "./dom.js";
import { EventMap } from "./map.js";
import { renderPanel } from "./panel.js";
import { renderControl } from "./control.js";
import { renderGraph } from "./graph.js";
import { Timeline, dayDomain } from "./timeline.js";
import { typeColour } from "./palette.js";
import { followChanges } from "./changes.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const SERVER_FILTERS = ["type", "actor", "status", "verdict"];

// Most markers the map asks for at once (zoom in for the rest).
const MAP_CAP = 5000;

const state = {
  actors: new Map(), // id -> actor
  docs: new Map(), // id -> document (without text): those the control and actor views cite
  relations: [],
  control: [],
  overall: null, // /api/overview of every merged event, unfiltered
  days: [], // events per day and type passing the server-side filters (the histogram)
  daysOutside: 0, // how many of those are dated outside the histogram's axis
  listed: [], // the list: events passing every filter and the dates, the pages loaded so far
  listTotal: 0, // how many pass them in all
  listNext: null, // the cursor of the list's next page
  mapped: [], // events passing every filter and the dates, in the map's bounds
  filters: { start: "", end: "", type: "", actor: "", status: "", verdict: "" },
  fetched: null, // the server-side filters `days` was fetched with
  selected: null,
  request: 0,
  mapRequest: 0,
  fresh: new Set(), // merged event ids a change announced while the page was open
};

const actorName = (id) => (state.actors.get(id) || { name: id }).name;

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

// One view that cannot be drawn must not take the events, map and timeline down with it.
function drawView(testid, draw) {
  try {
    draw();
  } catch (err) {
    console.error(err);
    $(testid).replaceChildren(h("p", { class: "empty" }, `Could not draw this view: ${err.message}`));
  }
}

function listItem(event) {
  const dot = h("span", { class: "type-dot" });
  dot.style.background = typeColour(event.event_type);
  const actors = [event.actor1_name, event.actor2_name].filter(Boolean).join(" vs ");
  const item = h("li", {
    class: `event-item${event.id === state.selected ? " selected" : ""}${state.fresh.has(event.id) ? " fresh" : ""}`,
    "data-testid": "event-item", "data-event-id": event.id, tabindex: 0,
  },
  h("div", { class: "item-top" },
    dot,
    h("span", { class: "item-type" }, eventTitle(event)),
    h("span", { class: "item-date" }, fuzzyDate(event.event_date, event.date_precision))),
  h("div", { class: "item-where" }, placeName(event.location),
    actors ? h("span", { class: "muted" }, ` · ${actors}`) : null),
  h("div", { class: "item-meta" },
    badge(event.verdict),
    h("span", { class: "muted" }, `${event.sources} source${event.sources === 1 ? "" : "s"}`),
    event.status !== "reported" ? h("span", { class: `status status-${event.status}` }, event.status) : null,
    event.fatalities ? h("span", { class: "killed" }, `${event.fatalities} killed`) : null));
  item.addEventListener("click", () => select(event.id));
  item.addEventListener("keydown", (ev) => ev.key === "Enter" && select(event.id));
  return item;
}

function renderList() {
  const list = $("event-list");
  if (!state.listed.length) {
    setChildren(list, h("li", { class: "empty" }, "No event matches these filters."));
    return;
  }
  // Newest first, undated last: the reader comes for what happened lately.
  const dated = state.listed.filter((e) => e.event_date).reverse();
  const items = [...dated, ...state.listed.filter((e) => !e.event_date)].map(listItem);
  if (state.listNext) {
    const more = h("button", { type: "button", class: "more", "data-testid": "list-more" },
      `Show more (${state.listTotal - state.listed.length} not loaded)`);
    more.addEventListener("click", loadMore);
    items.push(h("li", { class: "more-row" }, more));
  }
  setChildren(list, items);
}

async function loadMore() {
  const page = await api.eventsPage(datedFilters(), state.listNext);
  state.listed.push(...page.items);
  state.listNext = page.next;
  renderList();
}

function renderCount(onMap) {
  const total = state.overall.total;
  const n = state.listTotal;
  $("event-count").textContent = n === total ? `${n} events` : `${n} of ${total} events`;
  $("event-count").title = `${onMap} of them on the map in view (the rest have no known place or lie outside it)`;
}

/** The histogram's counts: per day of the timeline's axis, the events outside it counted. */
function histogramQuery() {
  const domain = timeline.domain;
  if (!domain) return serverFilters();
  return { ...serverFilters(), bin: "day", days_start: isoDay(domain[0]), days_end: isoDay(domain[1]) };
}

/** The reports the control and actor views cite: only their outlets are shown. */
function citedDocuments(control, relations) {
  const ids = [];
  for (const t of control) {
    for (const e of t.entries) ids.push(...e.document_ids, ...e.evidence.map((ev) => ev.document_id));
  }
  for (const r of relations) ids.push(...r.document_ids, ...r.evidence.map((ev) => ev.document_id));
  return api.documents(ids);
}

function serverFilters() {
  return Object.fromEntries(SERVER_FILTERS.map((k) => [k, state.filters[k]]));
}

function datedFilters() {
  return { ...serverFilters(), start: state.filters.start, end: state.filters.end };
}

/** The events the map's view holds: in its bounds, passing every filter and the dates. */
function mapEvents() {
  return api.events({ ...datedFilters(), bbox: state.map.bbox() }, MAP_CAP);
}

/** Re-read the form, ask the API for the list, the map's view and (when a server-side filter
 * changed) the histogram's counts, redraw. */
async function applyFilters() {
  const form = $("filters");
  for (const key of Object.keys(state.filters)) state.filters[key] = form.elements[key].value;
  const key = JSON.stringify(serverFilters());
  const request = ++state.request;
  state.mapRequest += 1; // a pan under way is answered here
  document.body.classList.add("loading");
  try {
    const [overview, page, mapped] = await Promise.all([
      key !== state.fetched ? api.overview(histogramQuery()) : null,
      api.eventsPage(datedFilters()),
      mapEvents(),
    ]);
    if (request !== state.request) return; // a newer change is on its way
    if (overview) {
      state.days = overview.days;
      state.daysOutside = overview.days_outside;
      state.fetched = key;
    }
    state.listed = page.items;
    state.listTotal = page.total;
    state.listNext = page.next;
    state.mapped = mapped;
    showError("");
  } catch (err) {
    showError(`Could not load events: ${err.message}`);
    return;
  } finally {
    if (request === state.request) document.body.classList.remove("loading");
  }
  const onMap = state.map.show(state.mapped);
  timeline.render(state.days, state.filters.start, state.filters.end, state.daysOutside);
  renderList();
  renderCount(onMap);
  document.body.dataset.ready = "1";
}

/** The map moved: ask for the events of its new view. */
async function refreshMap() {
  const request = ++state.mapRequest;
  try {
    const mapped = await mapEvents();
    if (request !== state.mapRequest) return;
    state.mapped = mapped;
    renderCount(state.map.show(mapped));
    if (state.selected) state.map.highlight(state.selected);
  } catch (err) {
    showError(`Could not load events: ${err.message}`);
  }
}

function setDates(start, end) {
  const form = $("filters");
  form.elements.start.value = start || "";
  form.elements.end.value = end || "";
  applyFilters();
}

function setActor(id) {
  $("filters").elements.actor.value = id;
  applyFilters();
  renderGraphView();
}

async function select(id) {
  state.selected = id;
  if (location.hash !== `#event=${id}`) history.replaceState(null, "", `#event=${encodeURIComponent(id)}`);
  for (const item of document.querySelectorAll('[data-testid="event-item"]')) {
    item.classList.toggle("selected", item.dataset.eventId === id);
    if (item.dataset.eventId === id) item.scrollIntoView({ block: "nearest" });
  }
  const panel = $("event-panel");
  panel.setAttribute("aria-busy", "true");
  try {
    const event = await api.event(id);
    if (state.selected !== id) return;
    renderPanel(panel, event, { actorName, onClose: closePanel });
    document.body.classList.add("panel-open");
    state.map.invalidate();
    state.map.highlight(id);
  } catch (err) {
    showError(`Could not load event ${id}: ${err.message}`);
  } finally {
    panel.removeAttribute("aria-busy");
  }
}

function closePanel() {
  state.selected = null;
  history.replaceState(null, "", location.pathname + location.search);
  $("event-panel").hidden = true;
  document.body.classList.remove("panel-open");
  state.map.invalidate();
  state.map.highlight(null);
  for (const item of document.querySelectorAll(".event-item.selected")) item.classList.remove("selected");
}

function renderGraphView() {
  renderGraph($("graph-view"), state.relations, state.actors, {
    onActor: setActor, selected: state.filters.actor, docs: state.docs, evidence: edgeEvidence,
  });
}

/** One alliance edge's quotes, all of them, with the reports they cite. */
async function edgeEvidence(edge) {
  const whole = await api.relation(edge);
  const missing = whole.evidence.map((ev) => ev.document_id).filter((id) => !state.docs.has(id));
  for (const d of await api.documents(missing)) state.docs.set(d.id, d);
  return whole.evidence;
}

function showView(name) {
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-selected", String(tab.dataset.view === name));
  }
  for (const view of document.querySelectorAll(".view")) view.hidden = view.dataset.view !== name;
  if (name === "map") state.map.invalidate();
}

function fillOptions() {
  const { types, actors: named } = state.overall;
  const typeSelect = $("filter-type");
  for (const [label, values] of [
    ["ACLED event type", types.event_type], ["ACLED sub-event type", types.sub_event_type], ["PLOVER", types.plover_type],
  ]) {
    typeSelect.append(h("optgroup", { label }, values.map((v) => h("option", { value: v }, v))));
  }
  // Actors some event names first (what the actor filter finds); then every other actor.
  const involved = new Set(named);
  const actors = [...state.actors.values()].sort((a, b) => a.name.localeCompare(b.name));
  $("filter-actor").append(
    h("optgroup", { label: "In events" }, actors.filter((a) => involved.has(a.id)).map((a) => h("option", { value: a.id }, a.name))),
    h("optgroup", { label: "Other actors" }, actors.filter((a) => !involved.has(a.id)).map((a) => h("option", { value: a.id }, a.name))),
  );
}

function renderStats(health) {
  const { total, located, verdicts } = state.overall;
  setChildren($("stats"),
    h("span", {}, h("b", {}, String(health.documents)), " reports"),
    h("span", {}, h("b", {}, String(total)), " merged events"),
    h("span", {}, h("b", {}, String(located)), " on the map"),
    h("span", { class: "stat-ok" }, h("b", {}, String(verdicts.corroborated || 0)), " corroborated"),
    h("span", { class: "stat-bad" }, h("b", {}, String(verdicts.contradicted || 0)), " contradicted"),
    h("span", {}, h("b", {}, String(state.actors.size)), " actors"));
}

const timeline = new Timeline($("histogram"), { onRange: setDates });

async function main() {
  state.map = new EventMap(document.getElementById("map"), $("legend"), $("online-tiles"), { onSelect: select });
  const form = $("filters");
  form.addEventListener("submit", (ev) => ev.preventDefault());
  form.addEventListener("change", (ev) => {
    applyFilters();
    if (ev.target.name === "actor") renderGraphView(); // the graph rings the chosen actor
  });
  form.addEventListener("reset", () => setTimeout(() => { applyFilters(); renderGraphView(); }));
  for (const tab of document.querySelectorAll(".tab")) tab.addEventListener("click", () => showView(tab.dataset.view));
  document.addEventListener("keydown", (ev) => ev.key === "Escape" && state.selected && closePanel());

  let health;
  try {
    const base = state.map.loadBase();
    const [h0, actors, relations, control, overall] = await Promise.all([
      api.health(), api.actors(), api.relations(), api.control(), api.overview({}),
    ]);
    const docs = await citedDocuments(control, relations);
    await base;
    health = h0;
    state.actors = new Map(actors.map((a) => [a.id, a]));
    state.docs = new Map(docs.map((d) => [d.id, d]));
    state.relations = relations;
    state.control = control;
    state.overall = overall;
  } catch (err) {
    showError(`Could not load the picture: ${err.message}`);
    return;
  }
  renderStats(health);
  fillOptions();
  const domain = dayDomain(state.overall.dates);
  timeline.setDomain(domain);
  if (domain) {
    for (const name of ["start", "end"]) {
      form.elements[name].min = new Date(domain[0] * 86400000).toISOString().slice(0, 10);
      form.elements[name].max = new Date(domain[1] * 86400000).toISOString().slice(0, 10);
    }
  }
  drawView("control-view", () => renderControl($("control-view"), state.control, { actorName, docs: state.docs }));
  drawView("graph-view", renderGraphView);
  state.map.fit(state.overall.countries);
  await applyFilters();
  let moving = null;
  state.map.onMove(() => {
    clearTimeout(moving);
    moving = setTimeout(refreshMap, 150);
  });
  const fromHash = () => new URLSearchParams(location.hash.slice(1)).get("event");
  window.addEventListener("hashchange", () => fromHash() && fromHash() !== state.selected && select(fromHash()));
  if (fromHash()) select(fromHash());
  followChanges($("changes"), $("change-list"), onChange);
}

/** A change came in: read the picture again (the server may still be building the newer one,
 * so a new event not there yet is asked for a few more times) and highlight what is new. */
async function onChange(change) {
  if (change.kind === "new-event") state.fresh.add(change.key);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const [h0, actors, control, overall] = await Promise.all([
        api.health(), api.actors(), api.control(), api.overview({}),
      ]);
      const docs = await citedDocuments(control, state.relations);
      state.actors = new Map(actors.map((a) => [a.id, a]));
      state.docs = new Map(docs.map((d) => [d.id, d]));
      state.control = control;
      state.overall = overall;
      state.fetched = null; // fetch the histogram's counts again too
      renderStats(h0);
      await applyFilters();
      drawView("control-view", () => renderControl($("control-view"), state.control, { actorName, docs: state.docs }));
      if (change.kind !== "new-event" || (await stored(change.key))) return;
    } catch (err) {
      showError(`Could not load the picture: ${err.message}`);
    }
    await new Promise((done) => setTimeout(done, 1000));
  }
}

/** Whether the server has this merged event yet. */
async function stored(id) {
  try {
    await api.event(id);
    return true;
  } catch {
    return false;
  }
}

main();
