"""The ingest stage: reports from files, folders and uploads into ``Document`` records.

``readers`` reads .txt (with front matter), .html and .jsonl reports, checks their size and
encoding, and names each bad input; ``jsonl`` reads JSONL archives (whole, or in parts that
readers on several machines share); ``fields`` is the cleaning every reader applies to text and
metadata; ``published`` parses the publication dates they give.
"""

from sitroom.ingest.readers import MAX_HTML_ELEMENTS, SUFFIXES, read_bytes, read_inputs

__all__ = ["MAX_HTML_ELEMENTS", "SUFFIXES", "read_bytes", "read_inputs"]
