"""Publication dates as reports give them: ISO, RFC 2822 or common written forms.

Front matter, JSONL fields and HTML metadata name a report's publication date in many ways; the
date is what relative dates in the text are resolved against, so a wrong one misdates events.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import logging
import re

logger = logging.getLogger(__name__)

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2[0-2]\d\d)(?!\d)")
_DAY = re.compile(r"(?<!\d)(0?[1-9]|[12]\d|3[01])(?!\d)")
_DATE_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%A, %d %B %Y",
    "%A, %B %d, %Y",
)
_MIN_YEAR, _MAX_YEAR = 1800, 2200


def parse_published(value: str | None) -> dt.date | None:
    """A publication date from ISO, RFC 2822 or common written forms; None for anything else."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text or len(text) > 80:
        return None
    return _parse_published(text)


# Corpora repeat the same few date strings; dateparser is slow on the ones it cannot read.
@functools.lru_cache(maxsize=4096)
def _parse_published(text: str) -> dt.date | None:
    parsed = _parse_date_strict(text)
    # dateparser costs ~0.1 s a miss (seconds on first use): only try text with a year and a day.
    if parsed is None and _YEAR.search(text) and _DAY.search(_YEAR.sub(" ", text)):
        parsed = _parse_date_loose(text)
    if parsed is None or not _MIN_YEAR <= parsed.year <= _MAX_YEAR:
        return None
    return parsed


def _parse_date_strict(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _parse_date_loose(text: str) -> dt.date | None:
    """Other written dates (any language dateparser knows); needs day, month and year."""
    import dateparser  # imported here: it loads language data on first use

    settings = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        # Relative dates ("yesterday") have no fixed meaning in a stored report.
        "PARSERS": ["custom-formats", "absolute-time"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(text, settings=settings)
    except (ValueError, TypeError, OverflowError, re.error) as e:
        logger.debug("date %r not parsed: %s", text, e)
        return None
    return parsed.date() if parsed is not None else None
