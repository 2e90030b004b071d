// Colours shared by the map, the histogram and the legend, so one type reads the same everywhere.

export const TYPE_COLOURS = {
  Battles: "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  Protests: "#2e86c1",
  Riots: "#16a085",
  "Strategic developments": "#7f8c8d",
};
export const OTHER_COLOUR = "#b7950b";
export const OTHER_LABEL = "Other (PLOVER only)";

export function typeColour(eventType) {
  return TYPE_COLOURS[eventType] || OTHER_COLOUR;
}

// Controllers and actors get a stable colour from their id, so a faction keeps its colour
// across the control chart and the actor graph without a hand-kept table.
const ACTOR_PALETTE = [
  "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
  "#17becf", "#bcbd22", "#ff7f0e", "#393b79", "#637939", "#843c39",
];

export function actorColour(id) {
  let hash = 0;
  for (const ch of String(id)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return ACTOR_PALETTE[hash % ACTOR_PALETTE.length];
}

export const KIND_COLOURS = {
  state: "#34495e",
  state_forces: "#2c3e50",
  armed_group: "#c0392b",
  militia: "#d35400",
  person: "#7f8c8d",
  organisation: "#2980b9",
  civilians: "#27ae60",
};

export function kindColour(kind) {
  return KIND_COLOURS[kind] || "#95a5a6";
}
