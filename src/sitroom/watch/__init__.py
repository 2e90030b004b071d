"""Live monitoring: follow feeds, article URLs and drop folders, keep the picture current, and
say what changed after each poll.

``sources`` reads the watch file (which sources, how politely to fetch, which alerts);
``fetch`` gets URLs with conditional GET, rate limits, retries and the SSRF guard; ``feeds``
reads RSS, Atom and JSON Feed; ``urls`` canonicalises links; ``state`` keeps what a restarted
watch needs in the database; ``changes`` diffs ledger snapshots; ``alerts`` turns changes into
webhook posts and JSONL lines; ``watcher`` runs the polls.
"""
