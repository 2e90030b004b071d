// The JSON API of docs/web-api.md, read relative to the page so a reverse proxy may mount it
// under any prefix.

const PAGE_LIMIT = 1000; // the API's largest page

export class ApiError extends Error {}

async function getJson(path, params) {
  const url = new URL(path, document.baseURI);
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") url.searchParams.set(key, value);
  }
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" } });
  } catch (err) {
    throw new ApiError(`cannot reach the server (${err.message})`);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // A non-JSON body (a proxy's error page) is reported by status below.
  }
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.statusText;
    throw new ApiError(`${url.pathname}: ${response.status} ${message}`);
  }
  return body;
}

export const api = {
  health: () => getJson("api/health"),
  actors: async () => (await getJson("api/actors")).items,
  relations: async () => (await getJson("api/relations")).items,
  /** Every report (without its text), page after page by key. */
  async documents() {
    const items = [];
    let after = null;
    do {
      const page = await getJson("api/documents", { after });
      items.push(...page.items);
      after = page.next;
    } while (after);
    return items;
  },
  control: async () => (await getJson("api/control")).items,
  event: (id) => getJson(`api/events/${encodeURIComponent(id)}`),
  document: (id) => getJson(`api/documents/${encodeURIComponent(id)}`),

  /** Counts, events per day and type, the types and actors named and where the events are,
   * for the merged events passing the filters (aggregates: no event is sent). */
  overview: (filters) => getJson("api/overview", filters),

  /** One page of the merged events passing the filters; `after` continues from a page's `next`. */
  eventsPage: (filters, after) => getJson("api/events", { ...filters, limit: PAGE_LIMIT, after }),

  /** The merged events passing the filters, page after page by key, at most `cap` of them. */
  async events(filters, cap = Infinity) {
    const items = [];
    let after = null;
    do {
      const page = await getJson("api/events", { ...filters, limit: PAGE_LIMIT, after });
      items.push(...page.items);
      after = page.next;
    } while (after && items.length < cap);
    return items.slice(0, cap);
  },
};
