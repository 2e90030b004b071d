// DOM building without HTML strings. Everything a report says (titles, quotes, names) reaches
// the page through text nodes only, so a report holding markup or script shows it as text.

const SVG_NS = "http://www.w3.org/2000/svg";

function fill(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.setAttribute("class", value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: h("div", {class: "x"}, "text", otherNode). */
export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element, same calling convention as h(). */
export function s(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replace a node's children. */
export function setChildren(node, ...children) {
  node.replaceChildren();
  return fill(node, {}, children);
}

/** A verdict badge: corroborated, contradicted or single-source. */
export function badge(verdict, extra) {
  const labels = {
    corroborated: "✓ corroborated",
    contradicted: "✗ contradicted",
    "single-source": "single source",
  };
  return h(
    "span",
    { class: `badge badge-${verdict}`, "data-testid": "badge", "data-verdict": verdict },
    labels[verdict] || verdict,
    extra ? ` ${extra}` : null,
  );
}

/** Dates are ISO strings (YYYY-MM-DD); days are counted in UTC so no zone shifts them. */
export function dayNumber(iso) {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / 86400000);
}

export function isoDay(dayNum) {
  return new Date(dayNum * 86400000).toISOString().slice(0, 10);
}

export function shortDate(iso) {
  if (!iso) return "undated";
  const d = new Date(`${iso}T00:00:00Z`);
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/** A date as precise as the source gave it: 'Dec 2024' for a month, '~2 Dec 2024' for a week. */
export function fuzzyDate(iso, precision) {
  if (!iso) return "undated";
  const d = new Date(`${iso}T00:00:00Z`);
  if (precision === "year") return String(d.getUTCFullYear());
  if (precision === "month") {
    return d.toLocaleDateString("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
  }
  return (precision && precision !== "day" ? "~" : "") + shortDate(iso);
}

/** Where, as precisely as known: a place the report did not name says so ("Syria (country
 * only)" for an incident placed at the report's country). */
export function placeName(location, { withCountry = false } = {}) {
  if (!location) return "place unknown";
  const country = withCountry && location.country && !location.inferred ? `, ${location.country}` : "";
  return `${location.name}${country}${location.inferred ? " (country only: no place named)" : ""}`;
}

/** What happened, in a few words: the ACLED sub-event type, else the type, else PLOVER's. */
export function eventTitle(event) {
  if (event.sub_event_type || event.event_type) return event.sub_event_type || event.event_type;
  if (event.plover_type) return event.plover_type.charAt(0) + event.plover_type.slice(1).toLowerCase();
  return "Event";
}
