// The JSON API of docs/web-api.md, read relative to the page so a reverse proxy may mount it
// under any prefix.

const PAGE_LIMIT = 1000; // the API's largest page
const IDS_AT_ONCE = 100; // the most reports GET /api/documents?id= gives at once

export class ApiError extends Error {}

async function getJson(path, params) {
  const url = new URL(path, document.baseURI);
  for (const [key, value] of Object.entries(params || {})) {
    if (Array.isArray(value)) for (const one of value) url.searchParams.append(key, one);
    else if (value !== null && value !== undefined && value !== "") url.searchParams.set(key, value);
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
  /** The alliance edges, each with its first few quotes and documents and how many in all. */
  relations: async () => (await getJson("api/relations")).items,
  /** One alliance edge with all of its quotes and documents (up to the API's largest page). */
  relation: async ({ subject, predicate, object }) =>
    (await getJson("api/relations", { subject, predicate, object, evidence: PAGE_LIMIT })).items[0],
  /** The reports (without their text) with these ids, IDS_AT_ONCE a request. */
  async documents(ids) {
    const wanted = [...new Set(ids)];
    const pages = [];
    for (let i = 0; i < wanted.length; i += IDS_AT_ONCE) {
      pages.push(getJson("api/documents", { id: wanted.slice(i, i + IDS_AT_ONCE) }));
    }
    return (await Promise.all(pages)).flatMap((page) => page.items);
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
