// What changed: follows GET /api/changes/stream (Server-Sent Events, same origin) while the page
// is open, lists each change at the top of the "What changed" box, highlighted for a while.

import { h } from "./dom.js";

const SHOWN = 50; // changes kept in the box
const FRESH_MS = 15000; // how long a new item stays highlighted

/** Follow the change stream; `onChange(change)` runs for each one (after it is listed). */
export function followChanges(box, list, onChange) {
  if (typeof EventSource === "undefined") return null;
  const source = new EventSource("api/changes/stream");
  source.addEventListener("change", (message) => {
    let change;
    try {
      change = JSON.parse(message.data);
    } catch {
      return;
    }
    const item = h("li", { class: `change change-${change.kind} fresh`, "data-testid": "change-item",
      "data-kind": change.kind, title: change.at || "" }, change.summary);
    list.prepend(item);
    while (list.children.length > SHOWN) list.lastElementChild.remove();
    box.hidden = false;
    setTimeout(() => item.classList.remove("fresh"), FRESH_MS);
    onChange(change);
  });
  return source;
}
