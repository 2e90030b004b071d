// The timeline: events per day as stacked bars (by event type) with a brush to pick a date range.
// Its day axis is fixed at start from every event, so filtering changes the bars, not the axis.
// It draws the server's counts (/api/overview `days` with `bin=day` over the axis' days: date,
// event_type, status, events, and `days_outside`), never the events themselves.

import { dayNumber, isoDay, s } from "./dom.js";
import { typeColour } from "./palette.js";

const MAX_SPAN_DAYS = 180; // background events reach back years; keep the recent war in view
const PAD = { left: 34, right: 12, top: 10, bottom: 22 };

/** The first and last day (day numbers) the axis shows, from the first and last day of the
 * events that are not background (/api/overview `dates`). */
export function dayDomain(dates) {
  if (!dates || !dates.first || !dates.last) return null;
  const last = dayNumber(dates.last);
  const first = Math.max(dayNumber(dates.first), last - MAX_SPAN_DAYS);
  return [first, last];
}

export class Timeline {
  constructor(svg, { onRange }) {
    this.svg = svg;
    this.onRange = onRange;
    this.domain = null;
    this.drag = null;
    svg.addEventListener("pointerdown", (ev) => this.pointerDown(ev));
    svg.addEventListener("pointermove", (ev) => this.pointerMove(ev));
    svg.addEventListener("pointerup", (ev) => this.pointerUp(ev));
    svg.addEventListener("dblclick", () => this.onRange(null, null));
    new ResizeObserver(() => this.last && this.render(...this.last)).observe(svg);
  }

  setDomain(domain) {
    this.domain = domain;
  }

  geometry() {
    const width = this.svg.clientWidth || 800;
    const height = this.svg.clientHeight || 100;
    const [first, last] = this.domain;
    const days = last - first + 1;
    const step = (width - PAD.left - PAD.right) / days;
    return { width, height, first, last, step };
  }

  dayAt(clientX) {
    const rect = this.svg.getBoundingClientRect();
    const { first, last, step } = this.geometry();
    const day = first + Math.floor((clientX - rect.left - PAD.left) / step);
    return Math.min(Math.max(day, first), last);
  }

  /** Draw bars for the day `counts` (of the events passing every filter but the dates),
   * shading outside [start, end]; `beyond` more such events are dated outside the axis. */
  render(counts, start, end, beyond = 0) {
    this.last = [counts, start, end, beyond];
    const svg = this.svg;
    svg.replaceChildren();
    if (!this.domain) {
      svg.append(s("text", { x: PAD.left, y: 40, class: "note" },
        "No dated events yet: analyse reports with `sitroom analyze`, then reload."));
      return;
    }
    const { width, height, first, last, step } = this.geometry();
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const perDay = new Map();
    let outside = beyond;
    for (const c of counts) {
      const day = dayNumber(c.date);
      if (day < first || day > last) {
        outside += c.events;
        continue;
      }
      const colours = perDay.get(day) || new Map();
      const colour = typeColour(c.event_type);
      colours.set(colour, (colours.get(colour) || 0) + c.events);
      perDay.set(day, colours);
    }
    const total = (colours) => [...colours.values()].reduce((a, b) => a + b, 0);
    const peak = Math.max(1, ...[...perDay.values()].map(total));
    const plotH = height - PAD.top - PAD.bottom;
    const unit = plotH / peak;
    const lo = start ? dayNumber(start) : -Infinity;
    const hi = end ? dayNumber(end) : Infinity;

    svg.append(
      s("line", { x1: PAD.left, x2: width - PAD.right, y1: height - PAD.bottom, y2: height - PAD.bottom, class: "axis" }),
      s("text", { x: PAD.left - 6, y: PAD.top + 8, class: "tick", "text-anchor": "end" }, String(peak)),
      s("text", { x: PAD.left - 6, y: height - PAD.bottom, class: "tick", "text-anchor": "end" }, "0"),
    );
    const labelEvery = Math.max(1, Math.ceil(52 / step));
    for (let day = first; day <= last; day += 1) {
      const x = PAD.left + (day - first) * step;
      const inRange = day >= lo && day <= hi;
      const colours = perDay.get(day) || new Map();
      const count = total(colours);
      let y = height - PAD.bottom;
      const bar = s("g", {
        class: `day${inRange ? "" : " dimmed"}`,
        "data-day": isoDay(day),
        "data-count": count,
      });
      bar.append(s("title", {}, `${isoDay(day)}: ${count} event${count === 1 ? "" : "s"}`));
      bar.append(s("rect", { x, y: PAD.top, width: step, height: plotH, class: "day-hit" }));
      for (const [colour, n] of [...colours].sort()) {
        y -= n * unit;
        bar.append(s("rect", { x: x + 1, y, width: Math.max(step - 2, 1), height: n * unit, fill: colour, class: "seg" }));
      }
      svg.append(bar);
      if ((day - first) % labelEvery === 0) {
        const label = new Date(day * 86400000).toLocaleDateString("en-GB", {
          day: "numeric", month: "short", timeZone: "UTC",
        });
        svg.append(s("text", { x: x + step / 2, y: height - 6, class: "tick", "text-anchor": "middle" }, label));
      }
    }
    if (outside) {
      svg.append(s("text", { x: width - PAD.right, y: PAD.top + 8, class: "tick", "text-anchor": "end" },
        `+${outside} outside this axis`));
    }
    if (start || end) {
      const a = Math.max(lo, first);
      const b = Math.min(hi, last);
      if (a <= b) {
        svg.append(s("rect", {
          x: PAD.left + (a - first) * step, y: PAD.top - 4, width: (b - a + 1) * step, height: plotH + 4,
          class: "selection",
        }));
      }
    }
    this.brush = s("rect", { class: "brush", y: PAD.top - 4, height: plotH + 4, width: 0, x: 0 });
    svg.append(this.brush);
  }

  pointerDown(ev) {
    if (!this.domain || ev.button !== 0) return;
    this.svg.setPointerCapture(ev.pointerId);
    this.drag = { from: this.dayAt(ev.clientX), to: this.dayAt(ev.clientX) };
    this.drawBrush();
  }

  pointerMove(ev) {
    if (!this.drag) return;
    this.drag.to = this.dayAt(ev.clientX);
    this.drawBrush();
  }

  pointerUp(ev) {
    if (!this.drag) return;
    this.drag.to = this.dayAt(ev.clientX);
    const a = Math.min(this.drag.from, this.drag.to);
    const b = Math.max(this.drag.from, this.drag.to);
    this.drag = null;
    this.onRange(isoDay(a), isoDay(b));
  }

  drawBrush() {
    const { first, step } = this.geometry();
    const a = Math.min(this.drag.from, this.drag.to);
    const b = Math.max(this.drag.from, this.drag.to);
    this.brush.setAttribute("x", PAD.left + (a - first) * step);
    this.brush.setAttribute("width", (b - a + 1) * step);
  }
}
