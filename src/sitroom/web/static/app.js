// The sitroom page: loads the picture from the JSON API and keeps the filters, the timeline,
// the events list, the map and the event panel in step. No build step: plain ES modules.

import { api } from "./api.js";
import { badge, dayNumber, eventTitle, fuzzyDate, h, placeName, setChildren } from "./dom.js";
import { EventMap } from "./map.js";
import { renderPanel } from "./panel.js";
import { renderControl } from "./control.js";
import { renderGraph } from "./graph.js";
import { Timeline, dayDomain } from "./timeline.js";
import { typeColour } from "./palette.js";
import { followChanges } from "./changes.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const SERVER_FILTERS = ["type", "actor", "status", "verdict"];

const state = {
  actors: new Map(), // id -> actor
  docs: new Map(), // id -> document (without text)
  relations: [],
  control: [],
  all: [], // every merged event, unfiltered
  base: [], // events passing the server-side filters (all but the dates)
  shown: [], // base, within the date range
  filters: { start: "", end: "", type: "", actor: "", status: "", verdict: "" },
  fetched: null, // the server-side filters `base` was fetched with
  selected: null,
  request: 0,
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

function inDateRange(event, { start, end }) {
  // As the API: a date bound drops undated events.
  if (!start && !end) return true;
  if (!event.event_date) return false;
  const day = dayNumber(event.event_date);
  return (!start || day >= dayNumber(start)) && (!end || day <= dayNumber(end));
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
  if (!state.shown.length) {
    setChildren(list, h("li", { class: "empty" }, "No event matches these filters."));
    return;
  }
  // Newest first, undated last: the reader comes for what happened lately.
  const dated = state.shown.filter((e) => e.event_date).reverse();
  setChildren(list, [...dated, ...state.shown.filter((e) => !e.event_date)].map(listItem));
}

function renderCount(onMap) {
  const total = state.all.length;
  const n = state.shown.length;
  $("event-count").textContent = n === total ? `${n} events` : `${n} of ${total} events`;
  $("event-count").title = `${onMap} of them on the map (the rest have no known place)`;
}

/** Re-read the form, fetch from the API when a server-side filter changed, redraw. */
async function applyFilters() {
  const form = $("filters");
  for (const key of Object.keys(state.filters)) state.filters[key] = form.elements[key].value;
  const wanted = Object.fromEntries(SERVER_FILTERS.map((k) => [k, state.filters[k]]));
  const key = JSON.stringify(wanted);
  if (key !== state.fetched) {
    const request = ++state.request;
    document.body.classList.add("loading");
    try {
      const events = SERVER_FILTERS.some((k) => wanted[k]) ? await api.events(wanted) : state.all;
      if (request !== state.request) return; // a newer change is on its way
      state.base = events;
      state.fetched = key;
      showError("");
    } catch (err) {
      showError(`Could not load events: ${err.message}`);
      return;
    } finally {
      if (request === state.request) document.body.classList.remove("loading");
    }
  }
  // Dates are filtered here: the histogram needs the events outside the range to draw them.
  state.shown = state.base.filter((e) => inDateRange(e, state.filters));
  const onMap = state.map.show(state.shown);
  timeline.render(state.base, state.filters.start, state.filters.end);
  renderList();
  renderCount(onMap);
  document.body.dataset.ready = "1";
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
    onActor: setActor, selected: state.filters.actor, docs: state.docs,
  });
}

function showView(name) {
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-selected", String(tab.dataset.view === name));
  }
  for (const view of document.querySelectorAll(".view")) view.hidden = view.dataset.view !== name;
  if (name === "map") state.map.invalidate();
}

function fillOptions() {
  const acled = new Set();
  const sub = new Set();
  const plover = new Set();
  const involved = new Set();
  for (const e of state.all) {
    if (e.event_type) acled.add(e.event_type);
    if (e.sub_event_type) sub.add(e.sub_event_type);
    if (e.plover_type) plover.add(e.plover_type);
    for (const id of [e.actor1, e.actor2]) if (id) involved.add(id);
  }
  const typeSelect = $("filter-type");
  for (const [label, values] of [["ACLED event type", acled], ["ACLED sub-event type", sub], ["PLOVER", plover]]) {
    typeSelect.append(h("optgroup", { label }, [...values].sort().map((v) => h("option", { value: v }, v))));
  }
  // Actors named in some event first; the API also matches associated actors, so offer all.
  const actors = [...state.actors.values()].sort((a, b) => a.name.localeCompare(b.name));
  $("filter-actor").append(
    h("optgroup", { label: "In events" }, actors.filter((a) => involved.has(a.id)).map((a) => h("option", { value: a.id }, a.name))),
    h("optgroup", { label: "Other actors" }, actors.filter((a) => !involved.has(a.id)).map((a) => h("option", { value: a.id }, a.name))),
  );
}

function renderStats(health) {
  const located = state.all.filter((e) => e.location && e.location.latitude != null).length;
  const contradicted = state.all.filter((e) => e.verdict === "contradicted").length;
  const corroborated = state.all.filter((e) => e.verdict === "corroborated").length;
  setChildren($("stats"),
    h("span", {}, h("b", {}, String(health.documents)), " reports"),
    h("span", {}, h("b", {}, String(state.all.length)), " merged events"),
    h("span", {}, h("b", {}, String(located)), " on the map"),
    h("span", { class: "stat-ok" }, h("b", {}, String(corroborated)), " corroborated"),
    h("span", { class: "stat-bad" }, h("b", {}, String(contradicted)), " contradicted"),
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
    const [h0, actors, relations, control, docs, events] = await Promise.all([
      api.health(), api.actors(), api.relations(), api.control(), api.documents(), api.events({}),
    ]);
    await base;
    health = h0;
    state.actors = new Map(actors.map((a) => [a.id, a]));
    state.docs = new Map(docs.map((d) => [d.id, d]));
    state.relations = relations;
    state.control = control;
    state.all = events;
  } catch (err) {
    showError(`Could not load the picture: ${err.message}`);
    return;
  }
  renderStats(health);
  fillOptions();
  const domain = dayDomain(state.all);
  timeline.setDomain(domain);
  if (domain) {
    for (const name of ["start", "end"]) {
      form.elements[name].min = new Date(domain[0] * 86400000).toISOString().slice(0, 10);
      form.elements[name].max = new Date(domain[1] * 86400000).toISOString().slice(0, 10);
    }
  }
  drawView("control-view", () => renderControl($("control-view"), state.control, { actorName, docs: state.docs }));
  drawView("graph-view", renderGraphView);
  state.map.fit(state.all);
  await applyFilters();
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
      const [h0, actors, control, docs, events] = await Promise.all([
        api.health(), api.actors(), api.control(), api.documents(), api.events({}),
      ]);
      state.actors = new Map(actors.map((a) => [a.id, a]));
      state.docs = new Map(docs.map((d) => [d.id, d]));
      state.control = control;
      state.all = events;
      state.fetched = null; // fetch the filtered events again too
      renderStats(h0);
      await applyFilters();
      drawView("control-view", () => renderControl($("control-view"), state.control, { actorName, docs: state.docs }));
      if (change.kind !== "new-event" || events.some((e) => e.id === change.key)) return;
    } catch (err) {
      showError(`Could not load the picture: ${err.message}`);
    }
    await new Promise((done) => setTimeout(done, 1000));
  }
}

main();
