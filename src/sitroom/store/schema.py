"""The store's schema, described as its migrations in order (``sitroom.store.migrations`` applies
them): one description for both backends, written in SQLite's dialect and translated for
PostgreSQL statement by statement (``sitroom.store.backend.schema_statement``)."""

from __future__ import annotations

# Version 1: the first schema. Dates are ISO text; tuples of actor ids are JSON text; evidence
# is a child table with one owner column per owning table, so it cascades and is indexed by
# document id. Each later version appends one (version, script) pair; scripts never change.
_V1 = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    ref TEXT NOT NULL,
    text TEXT NOT NULL,
    title TEXT,
    source TEXT,
    url TEXT,
    published TEXT,
    main_event TEXT
);
CREATE INDEX documents_ref ON documents (ref);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor_id TEXT,
    value TEXT,
    place_name TEXT,
    place_geonameid INTEGER,
    place_latitude REAL,
    place_longitude REAL,
    place_country TEXT,
    place_admin1 TEXT,
    place_feature TEXT,
    place_population INTEGER
);
CREATE INDEX mentions_document ON mentions (document_id, seq);
CREATE INDEX mentions_actor ON mentions (actor_id);

-- Each document's own version of an actor; ``actors`` holds the canonical one per id.
CREATE TABLE document_actors (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT,
    parent TEXT,
    PRIMARY KEY (document_id, actor_id)
);
CREATE INDEX document_actors_actor ON document_actors (actor_id);

CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT,
    parent TEXT
);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    event_date TEXT,
    date_precision TEXT NOT NULL,
    event_type TEXT,
    sub_event_type TEXT,
    plover_type TEXT NOT NULL,
    plover_mode TEXT,
    actor1 TEXT,
    actor2 TEXT,
    assoc_actor_1 TEXT NOT NULL,
    assoc_actor_2 TEXT NOT NULL,
    location_name TEXT,
    geonameid INTEGER,
    latitude REAL,
    longitude REAL,
    country TEXT,
    admin1 TEXT,
    geo_precision INTEGER,
    fatalities INTEGER,
    fatalities_text TEXT,
    trigger TEXT NOT NULL,
    claimed_by TEXT,
    notes TEXT NOT NULL
);
CREATE INDEX events_date ON events (event_date, id);
CREATE INDEX events_type ON events (event_type);
CREATE INDEX events_country ON events (country);
CREATE INDEX events_status ON events (status);
CREATE INDEX events_document ON events (document_id, seq);
CREATE INDEX events_lat_lon ON events (latitude, longitude);

-- Every actor an event names (actor1, actor2, assoc), so an actor filter uses an index.
CREATE TABLE event_actors (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (event_id, role, actor_id)
);
CREATE INDEX event_actors_actor ON event_actors (actor_id, event_id);

CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    subject TEXT NOT NULL,
    predicate TEXT NOT NULL,
    object TEXT NOT NULL,
    date TEXT
);
CREATE INDEX relations_document ON relations (document_id, seq);
CREATE INDEX relations_subject ON relations (subject);
CREATE INDEX relations_object ON relations (object);

CREATE TABLE control (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    location_name TEXT NOT NULL,
    geonameid INTEGER,
    latitude REAL,
    longitude REAL,
    country TEXT,
    admin1 TEXT,
    geo_precision INTEGER,
    controller TEXT NOT NULL,
    status TEXT NOT NULL,
    date TEXT,
    date_precision TEXT NOT NULL
);
CREATE INDEX control_document ON control (document_id, seq);
CREATE INDEX control_place ON control (location_name);
CREATE INDEX control_date ON control (date);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    event_id TEXT REFERENCES events (id) ON DELETE CASCADE,
    relation_id INTEGER REFERENCES relations (id) ON DELETE CASCADE,
    control_id INTEGER REFERENCES control (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    document_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    quote TEXT NOT NULL,
    CHECK ((event_id IS NOT NULL) + (relation_id IS NOT NULL) + (control_id IS NOT NULL) = 1)
);
CREATE INDEX evidence_document ON evidence (document_id);
CREATE INDEX evidence_event ON evidence (event_id, seq);
CREATE INDEX evidence_relation ON evidence (relation_id, seq);
CREATE INDEX evidence_control ON evidence (control_id, seq);
"""

# Version 2: a location may be inferred rather than named (records.Location.inferred); NULL is
# a row written before, whose place was always named.
_V2 = """
ALTER TABLE events ADD COLUMN location_inferred INTEGER;
ALTER TABLE control ADD COLUMN location_inferred INTEGER;
"""

# Version 3: sitroom.watch's state, so that a restarted watch carries on where it stopped:
# the sources followed, each URL's validators (ETag, Last-Modified), the URLs already taken,
# each source's failures, the ledger snapshot after each poll and the changes found between
# them. Self-contained: no table of another version is touched.
_V3 = """
CREATE TABLE watch_sources (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    language TEXT,
    country TEXT,
    interval_s INTEGER NOT NULL,
    added TEXT NOT NULL
);

CREATE TABLE watch_state (
    source TEXT PRIMARY KEY,
    last_poll TEXT,
    next_poll TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);

CREATE TABLE watch_validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT
);

CREATE TABLE watch_seen (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    document_id TEXT,
    first_seen TEXT NOT NULL
);
CREATE INDEX watch_seen_document ON watch_seen (document_id);

CREATE TABLE watch_errors (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    source TEXT NOT NULL,
    url TEXT,
    message TEXT NOT NULL
);
CREATE INDEX watch_errors_at ON watch_errors (at);

CREATE TABLE watch_polls (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    documents TEXT NOT NULL,
    snapshot TEXT NOT NULL
);

CREATE TABLE watch_changes (
    id INTEGER PRIMARY KEY,
    poll_id INTEGER NOT NULL REFERENCES watch_polls (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    summary TEXT NOT NULL,
    detail TEXT NOT NULL,
    document_ids TEXT NOT NULL
);
CREATE INDEX watch_changes_at ON watch_changes (at, id);
"""

# Version 4: an event's evidence marks the word that tells the event (records.Evidence.trigger);
# NULL for other evidence and for rows written before.
_V4 = """
ALTER TABLE evidence ADD COLUMN "trigger" INTEGER;
"""

# Version 5: the cross-report picture, stored and kept up to date by each save (see
# sitroom.store.picture): wire-copy groups and the shingles that find them, merged events with
# their members, field claims and blocking keys, control timelines and alliance edges. A database
# upgraded from version 4 holds reports but no picture: meta has no 'picture_rules' for it, and
# readers ask for `sitroom rebuild`. Records are JSON (sitroom.picture.codec) beside the columns
# that queries filter and order on.
_V5 = """
CREATE TABLE picture_sources (
    document_id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL,
    published TEXT,
    text_key TEXT NOT NULL
);
CREATE INDEX picture_sources_group ON picture_sources (group_id);
CREATE INDEX picture_sources_text ON picture_sources (text_key);

CREATE TABLE picture_shingles (
    token TEXT NOT NULL,
    document_id TEXT NOT NULL
);
CREATE INDEX picture_shingles_token ON picture_shingles (token);
CREATE INDEX picture_shingles_document ON picture_shingles (document_id);

CREATE TABLE picture_events (
    id TEXT PRIMARY KEY,
    first_published TEXT NOT NULL,
    first_document TEXT NOT NULL,
    first_start INTEGER NOT NULL,
    first_event TEXT NOT NULL,
    status TEXT NOT NULL,
    event_date TEXT,
    event_type TEXT,
    sub_event_type TEXT,
    plover_type TEXT NOT NULL,
    country TEXT,
    latitude REAL,
    longitude REAL,
    sources INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    first_member TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX picture_events_visit
    ON picture_events (first_published, first_document, first_start, first_event);
-- sort_key orders by date, undated last, then id: the API's keyset pagination.
CREATE UNIQUE INDEX picture_events_sort ON picture_events (sort_key);
CREATE INDEX picture_events_date ON picture_events (event_date, sort_key);
CREATE INDEX picture_events_type ON picture_events (event_type, sort_key);
CREATE INDEX picture_events_sub_type ON picture_events (sub_event_type, sort_key);
CREATE INDEX picture_events_plover ON picture_events (plover_type, sort_key);
CREATE INDEX picture_events_country ON picture_events (country, sort_key);
CREATE INDEX picture_events_status ON picture_events (status, sort_key);
CREATE INDEX picture_events_verdict ON picture_events (verdict, sort_key);
CREATE INDEX picture_events_lat_lon ON picture_events (latitude, longitude);

CREATE TABLE picture_members (
    event_id TEXT PRIMARY KEY,
    merged_id TEXT NOT NULL,
    published TEXT NOT NULL,
    document_id TEXT NOT NULL,
    start INTEGER NOT NULL
);
CREATE INDEX picture_members_merged ON picture_members (merged_id);
CREATE INDEX picture_members_document ON picture_members (document_id);
CREATE INDEX picture_members_visit
    ON picture_members (published, document_id, start, event_id);

CREATE TABLE picture_event_actors (
    merged_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    PRIMARY KEY (actor_id, merged_id)
);
CREATE INDEX picture_event_actors_merged ON picture_event_actors (merged_id);

CREATE TABLE picture_claims (
    merged_id TEXT NOT NULL,
    field TEXT NOT NULL,
    verdict TEXT NOT NULL,
    PRIMARY KEY (merged_id, field)
);
CREATE INDEX picture_claims_verdict ON picture_claims (verdict, field);

CREATE TABLE picture_blocks (
    key INTEGER NOT NULL,
    merged_id TEXT NOT NULL
);
CREATE INDEX picture_blocks_key ON picture_blocks (key);
CREATE INDEX picture_blocks_merged ON picture_blocks (merged_id);

-- Every stored event's blocking keys as a group's first member: the events a changed group
-- can reach (sitroom.store.merge_update).
CREATE TABLE picture_member_keys (
    key INTEGER NOT NULL,
    event_id TEXT NOT NULL
);
CREATE INDEX picture_member_keys_key ON picture_member_keys (key);
CREATE INDEX picture_member_keys_event ON picture_member_keys (event_id);

CREATE TABLE picture_control_keys (
    control_id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL,
    name TEXT NOT NULL,
    geonameid INTEGER,
    place_key TEXT NOT NULL
);
CREATE INDEX picture_control_keys_name ON picture_control_keys (name);
CREATE INDEX picture_control_keys_gid ON picture_control_keys (geonameid);
CREATE INDEX picture_control_keys_place ON picture_control_keys (place_key);
CREATE INDEX picture_control_keys_document ON picture_control_keys (document_id);

CREATE TABLE picture_control (
    place_key TEXT PRIMARY KEY,
    record TEXT NOT NULL
);

CREATE TABLE picture_alliances (
    subject TEXT NOT NULL,
    predicate TEXT NOT NULL,
    object TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (subject, predicate, object)
);

CREATE TABLE picture_alliance_documents (
    document_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    predicate TEXT NOT NULL,
    object TEXT NOT NULL,
    PRIMARY KEY (document_id, subject, predicate, object)
);

CREATE INDEX relations_edge ON relations (subject, predicate, object);
CREATE INDEX control_controller ON control (controller);
CREATE INDEX actors_parent ON actors (parent);
"""

# Version 6: place mentions by gazetteer entry, so the server finds the names reports use for a
# place (GET /api/control?place=) by an indexed query instead of reading every mention.
_V6 = """
CREATE INDEX mentions_place ON mentions (place_geonameid);
"""

# Version 7: each merged event's listing summary (``sitroom.picture.summary``) beside its whole
# record, so a page of /api/events decodes only what it sends. The step fills it for the merged
# events already stored (``migrations._fill_summaries``), in the same transaction. Two covering
# indexes answer /api/overview's events per day, type and status and its located events per country
# from the index alone, not a lookup of each row.
_V7 = """
ALTER TABLE picture_events ADD COLUMN summary TEXT NOT NULL DEFAULT '';
CREATE INDEX picture_events_days ON picture_events (event_date, event_type, status);
CREATE INDEX picture_events_places ON picture_events (country, status, latitude, longitude);
"""

# Version 8: the box filter of /api/events on a covering index. A box's events are those within
# a latitude range whose longitude falls within the box: the index on (latitude, longitude)
# finds them, but a page of them, ordered by sort_key, read every matching row (its summary
# too) to sort them. With sort_key in the index the page's keys are found and sorted from the
# index alone and only the page's rows are read (picture_queries.find_summaries).
#
# And each alliance edge's listing beside its whole record: the edge with its first few quotes
# and document ids (picture_queries.edge_listing) and how many it has, so /api/relations reads
# what it sends, not every report's quote of every edge. The step fills them for the edges
# already stored (``_fill_alliance_listings``).
_V8 = """
DROP INDEX picture_events_lat_lon;
CREATE INDEX picture_events_box ON picture_events (latitude, longitude, sort_key);
ALTER TABLE picture_alliances ADD COLUMN listing TEXT NOT NULL DEFAULT '';
ALTER TABLE picture_alliances ADD COLUMN documents_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE picture_alliances ADD COLUMN evidence_total INTEGER NOT NULL DEFAULT 0;
"""

# Version 9: each merged event's item of /api/events as the API sends it (JSON), so a page of
# events is spliced from stored text instead of decoding summaries, looking up their documents'
# wire groups and actors' names, and encoding them again. The update rewrites a merged event
# whenever its wire groups or its actors' names change. The step fills it for the merged events
# already stored (``migrations._fill_items``).
_V9 = """
ALTER TABLE picture_events ADD COLUMN item TEXT NOT NULL DEFAULT '';
"""

# Version 10: the documents in publication order, the order ``sitroom rebuild`` brings them into
# the picture in (``stored_picture.rebuild_batch``: undated last, then by id), so that each of
# its batches reads the next reports as a range of this index instead of sorting every document.
_V10 = """
CREATE INDEX documents_publication ON documents ((coalesce(published, '9999-12-31')), id);
"""

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, _V1),
    (2, _V2),
    (3, _V3),
    (4, _V4),
    (5, _V5),
    (6, _V6),
    (7, _V7),
    (8, _V8),
    (9, _V9),
    (10, _V10),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]
