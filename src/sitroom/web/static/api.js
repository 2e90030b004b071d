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
  documents: async () => (await getJson("api/documents")).items,
  control: async () => (await getJson("api/control")).items,
  event: (id) => getJson(`api/events/${encodeURIComponent(id)}`),
  document: (id) => getJson(`api/documents/${encodeURIComponent(id)}`),

  /** Every merged event passing the filters, all pages. */
  async events(filters) {
    const items = [];
    for (let offset = 0; ; offset += PAGE_LIMIT) {
      const page = await getJson("api/events", { ...filters, limit: PAGE_LIMIT, offset });
      items.push(...page.items);
      if (page.items.length === 0 || items.length >= page.total) return items;
    }
  },
};
