// The event map: Natural Earth countries bundled with the package as the base (no network),
// events as circles coloured by type and sized by fatalities, clustered where they crowd.
// Leaflet, Leaflet.markercluster and topojson-client are vendored classic scripts (globals).

import { eventTitle, fuzzyDate, h, placeName } from "./dom.js";
import { OTHER_COLOUR, OTHER_LABEL, TYPE_COLOURS, typeColour } from "./palette.js";

const L = window.L;
const COUNTRIES_URL = "static/vendor/world-atlas/countries-50m.json";
const OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const LABEL_MIN_ZOOM = 6; // below this, place labels pile on top of each other
const COUNTRY_MIN_ZOOM = 4; // below this, small countries' names crowd the big ones

/** Where to write a country's name: the middle of its largest part's bounding box. */
function labelPoint(geometry) {
  const parts = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  let best = null;
  let bestArea = -1;
  for (const part of parts) {
    const lons = part[0].map((p) => p[0]);
    const lats = part[0].map((p) => p[1]);
    const box = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
    const area = (box[2] - box[0]) * (box[3] - box[1]);
    if (area > bestArea) [best, bestArea] = [box, area];
  }
  return [(best[1] + best[3]) / 2, (best[0] + best[2]) / 2];
}

/** Circle radius in pixels: area grows with the death toll, so 100 dead is not 100× wider. */
export function markerRadius(fatalities) {
  if (!fatalities) return 6;
  return Math.min(6 + 2.2 * Math.sqrt(fatalities), 26);
}

function tooltipFor(event) {
  const actors = [event.actor1_name, event.actor2_name].filter(Boolean).join(" vs ");
  return h(
    "div",
    { class: "map-tip" },
    h("strong", {}, eventTitle(event)),
    h("div", {}, `${placeName(event.location)} · ${fuzzyDate(event.event_date, event.date_precision)}`),
    actors ? h("div", {}, actors) : null,
    event.fatalities ? h("div", {}, `${event.fatalities} killed`) : null,
    h("div", { class: "muted" }, `${event.sources} source${event.sources === 1 ? "" : "s"}`),
  );
}

/** A cluster shows its size, ringed by the share of each event type inside it. */
function clusterIcon(cluster) {
  const markers = cluster.getAllChildMarkers();
  const counts = new Map();
  for (const m of markers) counts.set(m.options.fillColor, (counts.get(m.options.fillColor) || 0) + 1);
  let at = 0;
  const stops = [];
  for (const [colour, n] of counts) {
    const end = at + (n / markers.length) * 360;
    stops.push(`${colour} ${at}deg ${end}deg`);
    at = end;
  }
  const size = Math.min(30 + Math.sqrt(markers.length) * 5, 58);
  const ring = h("div", { class: "ev-cluster-ring", "data-count": markers.length });
  ring.style.background = `conic-gradient(${stops.join(", ")})`;
  ring.append(h("span", {}, String(markers.length)));
  return L.divIcon({ html: ring, className: "ev-cluster", iconSize: L.point(size, size) });
}

export class EventMap {
  constructor(element, legend, tilesToggle, { onSelect }) {
    this.onSelect = onSelect;
    this.markers = new Map(); // event id -> circle marker
    this.map = L.map(element, { minZoom: 2, maxZoom: 10, worldCopyJump: true });
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution("Leaflet · Natural Earth");
    this.map.createPane("base").style.zIndex = 250;
    this.map.createPane("labels").style.zIndex = 450;
    this.map.getPane("labels").style.pointerEvents = "none";
    this.map.createPane("selection").style.zIndex = 650; // above the cluster icons
    this.map.getPane("selection").style.pointerEvents = "none";
    this.map.setView([20, 10], 2); // the world, until fit() knows where the events are
    this.clusters = L.markerClusterGroup({
      maxClusterRadius: 36,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: true,
      iconCreateFunction: clusterIcon,
    });
    this.labels = L.layerGroup();
    // The clusters go on the map with the first events (show), after the first fit: a cluster
    // group on the map animates every zoom, and opening a cluster waits for that to end.
    this.map.on("zoomend", () => this.toggleLabels());
    this.online = L.tileLayer(OSM_URL, {
      maxZoom: 10,
      attribution: "© OpenStreetMap contributors",
    });
    tilesToggle.addEventListener("change", () => {
      if (tilesToggle.checked) this.online.addTo(this.map);
      else this.online.remove();
    });
    this.renderLegend(legend);
    // The map's box changes when the event panel opens or a tab shows it again; Leaflet only
    // watches the window.
    new ResizeObserver(() => this.map.invalidateSize()).observe(element);
    for (const type of ["pointerdown", "wheel", "keydown"]) {
      element.addEventListener(type, () => { this.touched = true; }, { passive: true });
    }
  }

  /** Draw the bundled country shapes; resolves once the base map is on screen. */
  async loadBase() {
    const response = await fetch(new URL(COUNTRIES_URL, document.baseURI));
    const topo = await response.json();
    const countries = window.topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, {
      pane: "base",
      interactive: false,
      style: { color: "#9c9789", weight: 0.8, fillColor: "#f2efe6", fillOpacity: 1 },
    }).addTo(this.map);
    // Country names give the bare shapes their bearings; Natural Earth names are trusted data.
    this.countryNames = L.layerGroup(countries.features.filter((f) => f.geometry).map((f) => {
      const icon = L.divIcon({ html: h("span", {}, f.properties.name), className: "country-label", iconSize: null });
      return L.marker(labelPoint(f.geometry), { icon, pane: "base", interactive: false, keyboard: false });
    }));
    this.toggleLabels();
  }

  renderLegend(legend) {
    const entries = [...Object.entries(TYPE_COLOURS), [OTHER_LABEL, OTHER_COLOUR]];
    legend.replaceChildren(
      ...entries.map(([label, colour]) => {
        const dot = h("span", { class: "legend-dot" });
        dot.style.background = colour;
        return h("div", { class: "legend-row" }, dot, label);
      }),
      h("div", { class: "legend-row muted" }, "circle size: fatalities"),
    );
  }

  /** Show these events (those with coordinates); returns how many are on the map. */
  show(events) {
    this.clusters.clearLayers();
    this.labels.clearLayers();
    this.markers.clear();
    const places = new Map();
    const layers = [];
    for (const event of events) {
      const where = event.location;
      if (!where || where.latitude == null || where.longitude == null) continue;
      const colour = typeColour(event.event_type);
      const marker = L.circleMarker([where.latitude, where.longitude], {
        radius: markerRadius(event.fatalities),
        color: "#1b2631",
        weight: 1,
        fillColor: colour,
        fillOpacity: 0.85,
        className: `ev-marker verdict-${event.verdict}`,
      });
      marker.bindTooltip(tooltipFor(event), { direction: "top", offset: [0, -4] });
      marker.on("click", () => this.onSelect(event.id));
      this.markers.set(event.id, marker);
      layers.push(marker);
      places.set(where.name, [where.latitude, where.longitude]);
    }
    if (!this.map.hasLayer(this.clusters)) this.map.addLayer(this.clusters);
    this.clusters.addLayers(layers);
    for (const [name, latlng] of places) {
      const label = L.divIcon({ html: h("span", {}, name), className: "place-label", iconSize: null });
      this.labels.addLayer(L.marker(latlng, { icon: label, pane: "labels", interactive: false }));
    }
    this.toggleLabels();
    return layers.length;
  }

  toggleLabels() {
    if (this.map.getZoom() >= LABEL_MIN_ZOOM) this.labels.addTo(this.map);
    else this.labels.remove();
    if (!this.countryNames) return;
    if (this.map.getZoom() >= COUNTRY_MIN_ZOOM) this.countryNames.addTo(this.map);
    else this.countryNames.remove();
  }

  /** Fit the view (once, at start) to the country most events happen in: a summit in Moscow
   * or a statement from Washington should not zoom the war out to a world map. `countries`:
   * /api/overview's, the country with most located events first, each with its box. */
  fit(countries) {
    const [main] = countries;
    if (!main) return;
    const [west, south, east, north] = main.bbox;
    this.home = L.latLngBounds([south, west], [north, east]).pad(0.15); // room for rings, labels
    this.map.fitBounds(this.home, { maxZoom: 9, animate: false });
  }

  /** The box the map shows, as the API's bbox ("west,south,east,north", degrees). */
  bbox() {
    const b = this.map.getBounds();
    const south = Math.max(b.getSouth(), -90);
    const north = Math.min(b.getNorth(), 90);
    if (b.getEast() - b.getWest() >= 360) return `-180,${south},180,${north}`;
    // Past the antimeridian the map counts on (190°); the API wants -180..180, west > east
    // for a box across it.
    const wrap = (lon) => ((((lon + 180) % 360) + 360) % 360) - 180;
    return `${wrap(b.getWest())},${south},${wrap(b.getEast())},${north}`;
  }

  /** Call `moved` after the user pans or zooms (once the movement stops). */
  onMove(moved) {
    this.map.on("moveend", moved);
  }

  /** Ring the event's place; a ring outside the cluster group stays visible at any zoom,
   * where opening the cluster would scatter its neighbours across the view. */
  highlight(eventId) {
    if (this.ring) this.ring.remove();
    this.ring = null;
    const marker = this.markers.get(eventId);
    if (!marker) return;
    const where = marker.getLatLng();
    this.ring = L.circleMarker(where, {
      radius: 24, color: "#111", weight: 2.5, fill: false, interactive: false, pane: "selection",
      className: "selection-ring",
    }).addTo(this.map);
    this.map.panInside(where, { padding: [80, 80], animate: false });
  }

  /** The map's box changed (the panel opened or closed): keep the war in view unless the
   * reader has moved the map themselves. */
  invalidate() {
    this.map.invalidateSize({ pan: false });
    if (this.home && !this.touched) this.map.fitBounds(this.home, { maxZoom: 9, animate: false });
  }
}
