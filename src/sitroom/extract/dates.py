"""Date expressions resolved against a report's publication date ("on Saturday", "last month").

Week, month and year precision point at the first day of the period (the Monday of a week, the
1st of a month, 1 January of a year), also for "late November" or "early 2024", so that events
in one period share one date. News convention: a weekday or a month named without "next" lies in
the past (a weekday equal to the publication's own weekday is the publication day, AP style);
``future=True`` resolves them forward instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span

from sitroom.knowledge.loader import Overrides
from sitroom.numbers import is_vague, parse_quantity

log = logging.getLogger(__name__)

# A period that ended this many days before publication is background, not news.
BACKGROUND_DAYS = 60
# A day-month without a year keeps the publication year up to this many days ahead of it.
AHEAD_DAYS = 7

# The words of English date expressions stay in code: each rule's regex is a small grammar whose
# words carry its arithmetic ("next" +1, "last" -1, "fortnight" 14 days), and month and weekday
# names come from ``calendar``; a new conflict needs no new date words.
_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
}
_MONTHS["sept"] = 9
_WEEKDAYS = {
    name: number
    for number in range(7)
    for name in (calendar.day_name[number].lower(), calendar.day_abbr[number].lower())
}
_WEEKDAYS.update({"tues": 1, "wednes": 2, "thur": 3, "thurs": 3})
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = "(?P<weekday>" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\.?"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night|overnight))?"
# Leading words that do not move the period: prepositions, and parts of a period ("late
# November", "early Sunday", "overnight Tuesday", "the early hours of Sunday", "the morning of
# 5 December"), since a period keeps its first day whatever part is meant.
_LEADING = re.compile(
    r"^(?:(?:on|in|at|by|during|from|since|until|till|as of|over|for|throughout|around|about|"
    r"circa|of|within|early|late|overnight|(?:the )?(?:end|beginning|start|middle) of|"
    r"(?:the )?(?:early|small|late|wee) hours of|(?:the )?(?:night|morning|evening|afternoon) of)"
    r"\s+|mid-?)"
)
_UNITS = {"hour": 0, "day": 1, "week": 7, "fortnight": 14, "month": 31, "year": 365, "decade": 3650}


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """A date expression resolved: the period's first day, its precision, background or not."""

    date: dt.date | None
    precision: str  # one of sitroom.records.DATE_PRECISIONS
    is_past_background: bool  # the period ended well before publication ("in 2015", "since 2011")


@dataclass(frozen=True, slots=True)
class _Period:
    start: dt.date
    end: dt.date
    precision: str


def _day(day: dt.date) -> _Period:
    return _Period(day, day, "day")


def _week(day: dt.date) -> _Period:
    monday = day - dt.timedelta(days=day.weekday())
    return _Period(monday, monday + dt.timedelta(days=6), "week")


def _month(year: int, month: int) -> _Period | None:
    if not (1 <= month <= 12 and dt.MINYEAR <= year <= dt.MAXYEAR):
        return None
    last = calendar.monthrange(year, month)[1]
    return _Period(dt.date(year, month, 1), dt.date(year, month, last), "month")


def _year(year: int, span: int = 1) -> _Period | None:
    if not dt.MINYEAR <= year <= dt.MAXYEAR - span:
        return None
    return _Period(dt.date(year, 1, 1), dt.date(year + span - 1, 12, 31), "year")


def _shift_month(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _window(published: dt.date, days: int) -> _Period:
    """The last ``days`` days up to publication; precision by the window's length."""
    start = published - dt.timedelta(days=max(days, 1))
    precision = "day" if days <= 1 else "week" if days <= 7 else "month" if days <= 31 else "year"
    return _Period(start, published, precision)


def _count(text: str, overrides: Overrides = ()) -> tuple[int, bool] | None:
    """A count and whether it was vague ("several"); "a"/"an" count one."""
    if text in ("a", "an", "one", "a single"):
        return 1, False
    number = parse_quantity(text, overrides)
    if number is None:
        return None
    return number, is_vague(text, overrides)


_Rule = Callable[[re.Match[str], dt.date, bool, "Overrides"], "_Period | None"]
_RULES: list[tuple[re.Pattern[str], _Rule]] = []


def _rule(pattern: str) -> Callable[[_Rule], _Rule]:
    def register(handler: _Rule) -> _Rule:
        _RULES.append((re.compile(pattern), handler))
        return handler

    return register


@_rule(r"^(?:earlier |later )?(?:today|tonight|this (?:morning|afternoon|evening)|now)$")
def _today(m: re.Match[str], pub: dt.date, future: bool, overrides: Overrides) -> _Period | None:
    return _day(pub)


@_rule(rf"^(?:yesterday|last night|overnight){_PART_OF_DAY}$")
def _yesterday(
    m: re.Match[str], pub: dt.date, future: bool, overrides: Overrides
) -> _Period | None:
    return _day(pub - dt.timedelta(days=1))


@_rule(r"^(?:the )?day before yesterday$")
def _before_yesterday(
    m: re.Match[str], pub: dt.date, future: bool, overrides: Overrides
) -> _Period | None:
    return _day(pub - dt.timedelta(days=2))


@_rule(rf"^tomorrow{_PART_OF_DAY}$")
def _tomorrow(m: re.Match[str], pub: dt.date, future: bool, overrides: Overrides) -> _Period | None:
    return _day(pub + dt.timedelta(days=1))


@_rule(rf"^(?:(?P<which>last|next|this|past|previous|coming) )?{_WEEKDAY}{_PART_OF_DAY}$")
def _weekday(m: re.Match[str], pub: dt.date, future: bool, overrides: Overrides) -> _Period | None:
    target = _WEEKDAYS[m["weekday"]]
    which = m["which"]
    back = (pub.weekday() - target) % 7
    ahead = (target - pub.weekday()) % 7
    if which in ("next", "coming"):
        return _day(pub + dt.timedelta(days=ahead or 7))
    if which in ("last", "past", "previous"):
        return _day(pub - dt.timedelta(days=back or 7))
    return _day(pub + dt.timedelta(days=ahead) if future else pub - dt.timedelta(days=back))


@_rule(r"^(?:(?P<which>last|this|past|next|previous|coming|the) )?weekend$")
def _weekend(m: re.Match[str], pub: dt.date, future: bool, overrides: Overrides) -> _Period | None:
    forward = m["which"] in ("next", "coming") or (future and m["which"] in (None, "this", "the"))
    if forward:
        saturday = pub + dt.timedelta(days=(5 - pub.weekday()) % 7 or 7)
    else:
        saturday = pub - dt.timedelta(days=(pub.weekday() - 5) % 7 or 7)
        if pub.weekday() == 6:
            saturday = pub - dt.timedelta(days=1)
    return _Period(saturday, saturday + dt.timedelta(days=1), "week")


@_rule(
    r"^(?:(?:earlier|later) )?(?P<which>this|last|next|previous|coming|current|the)"
    r" (?P<unit>week|month|year)$"
)
def _calendar_unit(
    m: re.Match[str], pub: dt.date, future: bool, overrides: Overrides
) -> _Period | None:
    step = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(m["which"], 0)
    if m["unit"] == "week":
        return _week(pub + dt.timedelta(weeks=step))
    if m["unit"] == "month":
        return _month(*_shift_month(pub, step))
    return _year(pub.year + step)


@_rule(
    r"^(?:the )?(?:past|last|previous) (?:(?P<n>[\w ,-]+?) )?"
    r"(?P<unit>hour|day|week|fortnight|month|year|decade)s?$"
)
def _past_window(
    m: re.Match[str], pub: dt.date, future: bool, overrides: Overrides
) -> _Period | None:
    count = _count(m["n"], overrides) if m["n"] else (1, False)
    if count is None:
        return None
    number, _vague = count
    if m["unit"] == "hour":
        return _window(pub, -(-number // 24))
    return _window(pub, number * _UNITS[m["unit"]])


@_rule(r"^(?:in )?recent (?P<unit>days|weeks|months|years)$")
def _recent(m: re.Match[str], pub: dt.date, future: bool, overrides: Overrides) -> _Period | None:
    return _window(pub, {"days": 7, "weeks": 31, "months": 365, "years": 3650}[m["unit"]])


@_rule(r"^(?P<n>[\w ,-]+?) (?P<unit>hour|day|week|fortnight|month|year|decade)s? ago$")
def _ago(m: re.Match[str], pub: dt.date, future: bool, overrides: Overrides) -> _Period | None:
    count = _count(m["n"], overrides)
    if count is None:
        return None
    number, vague = count
    unit = m["unit"]
    if unit == "hour":
        return _day(pub - dt.timedelta(days=-(-number // 24)))
    if unit in ("day", "week", "fortnight"):
        days = number * _UNITS[unit]
        if days > 36500:
            return None
        day = pub - dt.timedelta(days=days)
        return _week(day) if vague or unit != "day" else _day(day)
    if unit == "month":
        if vague or number > 1200:
            return _year(pub.year - number // 12)
        return _month(*_shift_month(pub, -number))
    return _year(pub.year - number * (10 if unit == "decade" else 1))


def _nearest_year(month: int, day: int | None, pub: dt.date, future: bool) -> int:
    """The year that puts a day-month (or month) nearest before publication; after it if future."""
    probe_day = day or 1
    try:
        candidate = dt.date(pub.year, month, probe_day)
    except ValueError:
        candidate = dt.date(pub.year, month, 28)
    if future:
        month_end = dt.date(pub.year, month, calendar.monthrange(pub.year, month)[1])
        last = candidate if day else month_end
        return pub.year if last >= pub else pub.year + 1
    if candidate - pub > dt.timedelta(days=AHEAD_DAYS):
        return pub.year - 1
    return pub.year


# "late November" and "early 2024" keep the whole period: the part narrows it only loosely.
_PART = r"(?:(?:early|mid|late|(?:the )?(?:end|beginning|start|middle) of)[ -])?"
_ABSOLUTE: list[re.Pattern[str]] = [
    re.compile(r"^(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})$"),
    re.compile(rf"^{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,? (?P<year>\d{{4}}))?$"),
    re.compile(
        rf"^(?:the )?(?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{_MONTH},?(?: (?P<year>\d{{4}}))?$"
    ),
    re.compile(rf"^{_PART}{_MONTH}(?:,? (?P<year>\d{{4}}))?$"),
    re.compile(rf"^{_PART}(?:the year )?(?P<year>\d{{4}})$"),
    re.compile(rf"^{_MONTH},? (?:of )?(?P<rel>this|last|next) year$"),
    re.compile(r"^(?:the )?(?:(?:early|mid|late)[ -])?(?P<decade>\d{3}0)'?s$"),
]


def _absolute(text: str, pub: dt.date | None, future: bool) -> _Period | bool | None:
    """A period for an absolute form; False where no form matches, None where it is unresolvable."""
    text = re.sub(rf"^{_WEEKDAY},? (?=\S)", "", text)
    for pattern in _ABSOLUTE:
        m = pattern.match(text)
        if not m:
            continue
        groups = m.groupdict()
        if groups.get("decade"):
            return _year(int(groups["decade"]), span=10)
        year = int(groups["year"]) if groups.get("year") else None
        name = groups.get("month") or ""
        month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS.get(name)
        day = int(groups["day"]) if groups.get("day") else None
        if month is None:
            return _year(year) if year is not None else None
        if year is None:
            if pub is None:
                return None
            rel = groups.get("rel")
            if rel:
                year = pub.year + {"last": -1, "next": 1}.get(rel, 0)
            else:
                year = _nearest_year(month, day, pub, future)
        if day is None:
            return _month(year, month)
        try:
            return _day(dt.date(year, month, day))
        except ValueError:
            return None
    return False


def _dateparser(text: str, pub: dt.date | None, future: bool) -> _Period | None:
    """Last resort for forms the rules miss; only for text with a year or a month name."""
    if len(text) > 60 or not (re.search(r"\b\d{4}\b", text) or re.search(rf"\b{_MONTH}", text)):
        return None
    if pub is None and not re.search(r"\b\d{4}\b", text):
        return None
    import dateparser  # slow to import; only needed here

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "future" if future else "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if pub is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(pub, dt.time(12))
    try:
        parser = dateparser.date.DateDataParser(languages=["en"], settings=settings)
        data = parser.get_date_data(text)
    except (ValueError, TypeError, OverflowError) as e:
        log.debug("dateparser failed on %r: %s", text, e)
        return None
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    period = data.period or "day"
    if period == "week":
        return _week(day)
    if period == "month":
        return _month(day.year, day.month)
    if period == "year":
        return _year(day.year)
    return _day(day)


def _normalise(expression: str) -> str:
    """Lowercase, single-spaced, without leading prepositions ("since 2011" reads as "2011")."""
    text = " ".join(expression.lower().replace("’", "'").split()).strip(" ,.;:()\"'")
    while m := _LEADING.match(text):
        text = text[m.end() :]
    return re.sub(r"(?:,|\s+(?:and|or))$", "", text)


# Years told relative to a year the text named before: "in 2015 ... the following year",
# "in March of that year", "two years later".
# "next year" and "last year" without "the" count from the publication date instead.
_YEAR_AFTER = r"(?:the )?(?:following|subsequent) year|the (?:next year|year after)"
_YEAR_BEFORE = r"(?:the )?(?:preceding|prior) year|the (?:previous year|year before)"
_ANAPHORIC_YEAR = re.compile(
    rf"^(?:{_MONTH},? (?:of )?)?(?:(?P<same>that|the same) year|(?P<after>{_YEAR_AFTER})"
    rf"|(?P<before>{_YEAR_BEFORE})|(?P<n>[\w-]+) years? (?P<dir>later|after|earlier|before))$"
)


def _anaphoric(text: str, reference_year: int, overrides: Overrides = ()) -> _Period | bool | None:
    """A period for a year told relative to ``reference_year``; False where the form is not one."""
    m = _ANAPHORIC_YEAR.match(text)
    if not m:
        return False
    if m["same"]:
        year = reference_year
    elif m["after"] or m["before"]:
        year = reference_year + (1 if m["after"] else -1)
    else:
        count = _count(m["n"], overrides)
        if count is None:
            return None
        year = reference_year + count[0] * (1 if m["dir"] in ("later", "after") else -1)
    month = _MONTHS.get(m["month"] or "")
    return _month(year, month) if month else _year(year)


@functools.lru_cache(maxsize=8192)
def _resolve(
    expression: str,
    published: dt.date | None,
    future: bool,
    reference_year: int | None = None,
    overrides: Overrides = (),
) -> ResolvedDate | None:
    text = _normalise(expression)
    if not text or len(text) > 80:
        return None
    if reference_year is not None:
        told = _anaphoric(text, reference_year, overrides)
        if told is not False:
            return _resolved(told if isinstance(told, _Period) else None, published)
    period: _Period | bool | None = None
    for pattern, handler in _RULES:
        m = pattern.match(text)
        if m:
            if published is None:
                return ResolvedDate(None, "unknown", False)
            period = handler(m, published, future, overrides)
            break
    else:
        period = _absolute(text, published, future)
        if period is False:
            period = _dateparser(text, published, future)
        elif period is None and published is None:
            return ResolvedDate(None, "unknown", False)
    if not isinstance(period, _Period) and "," in text:
        # The model's entity can run on past the date: "July 2011, months (after ...)".
        return _resolve(text.split(",")[0], published, future, reference_year, overrides)
    return _resolved(period if isinstance(period, _Period) else None, published)


def _resolved(period: _Period | None, published: dt.date | None) -> ResolvedDate | None:
    if period is None:
        return None
    background = published is not None and (published - period.end).days > BACKGROUND_DAYS
    return ResolvedDate(period.start, period.precision, background)


def resolve_date(
    expression: str,
    *,
    published: dt.date | None,
    future: bool = False,
    reference_year: int | None = None,
    overrides: Overrides = (),
) -> ResolvedDate | None:
    """Resolve a date expression against the publication date; None where it names no date.

    Without ``published``, absolute dates resolve and relative ones give precision 'unknown'.
    ``reference_year`` is the year the text last named, which "that year", "the following
    year" or "two years later" count from; without it they do not resolve. ``overrides``: the
    user's data files (``Config.overrides()``), for numbers.yaml's number words.
    """
    return _resolve(expression, published, future, reference_year, overrides)


_DAY_NUMBER = re.compile(r"^(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?$")


def with_day(ent: Span) -> Span:
    """A date entity with the day number the model left out before its month: "the night of
    *29* November", "on the morning of *1* March 2019" (a month alone dates to its 1st)."""
    words = _normalise(ent.text).split()
    if ent.start == 0 or not words or words[0].rstrip(".") not in _MONTHS:
        return ent
    before = ent.doc[ent.start - 1]
    if before.ent_type_ in ("", "DATE", "TIME", "CARDINAL", "ORDINAL") and _DAY_NUMBER.match(
        before.lower_
    ):
        return ent.doc[ent.start - 1 : ent.end]
    return ent


def names_year(expression: str) -> int | None:
    """The year an expression names outright ("in March 2015", "since 2011"), else None."""
    m = re.search(r"\b(1[89]\d\d|2[01]\d\d)\b", expression)
    return int(m.group(1)) if m else None
