"""The watch file: sources, fetch policy and alert rules, every key checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitroom.errors import ConfigError
from sitroom.watch.sources import load_watch_config, new_source

GOOD = """
[fetch]
allow_hosts = ["127.0.0.1"]
timeout_s = 2.5
retries = 1

[[source]]
name = "Levant Monitor"
feed = "https://levant.example/rss"
language = "en"
country = "SY"
interval_s = 300

[[source]]
name = "Drop box"
folder = "incoming"

[alerts]
jsonl = "alerts.jsonl"
webhook = "https://hooks.example/sitroom"

[[alerts.rule]]
kind = "control-change"
regions = ["Hama"]

[[alerts.rule]]
kind = "fatalities"
above = 20
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "watch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_watch_file(tmp_path: Path) -> None:
    cfg = load_watch_config(write(tmp_path, GOOD))
    feed, folder = cfg.sources
    assert (feed.name, feed.kind, feed.location, feed.language, feed.country, feed.interval_s) == (
        "Levant Monitor",
        "feed",
        "https://levant.example/rss",
        "en",
        "SY",
        300,
    )
    assert folder.kind == "folder" and folder.location == str(tmp_path / "incoming")
    assert folder.interval_s == 900
    assert cfg.fetch.allow_hosts == {"127.0.0.1"} and cfg.fetch.timeout_s == 2.5
    assert cfg.fetch.retries == 1 and "sitroom-watch" in cfg.fetch.user_agent
    assert [r.kind for r in cfg.alerts.rules] == ["control-change", "fatalities"]
    assert cfg.alerts.jsonl == tmp_path / "alerts.jsonl"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1", "unknown key colour"),
        ("[fetch]\ntimeout = 3", "unknown key fetch.timeout "),
        (
            '[[source]]\nname = "A"\nfeed = "https://a.example/"\nintervall = 3',
            "unknown key source 'A': intervall",
        ),
        ('[[source]]\nname = "A"', "needs exactly one of feed, page or folder"),
        (
            '[[source]]\nname = "A"\nfeed = "https://a.example/"\npage = "https://a.example/"',
            "needs exactly one",
        ),
        ('[[source]]\nname = "A"\nfeed = "file:///etc/passwd"', "not an http"),
        ('[[source]]\nname = "A"\nfeed = "https://a.example/"\ninterval_s = 0', "interval_s"),
        (
            '[[source]]\nname = "A"\nfeed = "https://a.example/"\n'
            '[[source]]\nname = "A"\nfeed = "https://b.example/"',
            "unique: A",
        ),
        ('[[alerts.rule]]\nkind = "control-change"', "needs a list of regions"),
        ('[[alerts.rule]]\nkind = "fatalities"', "needs above"),
        ('[[alerts.rule]]\nkind = "weather"', "kind must be one of"),
        (
            '[[alerts.rule]]\nkind = "fatalities"\nabove = 3\nbelow = 9',
            "unknown key alerts.rule[0].below",
        ),
        ("[fetch]\nrobots = 1", "robots must be true or false"),
        ("[fetch]\nmax_bytes = true", "max_bytes"),
        ("source = 3", "array of tables"),
        ("not toml [", "cannot read"),
    ],
)
def test_bad_watch_files_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")) as e:
        load_watch_config(path)
    assert str(path) in str(e.value)


def test_new_source_is_checked() -> None:
    assert new_source("Wire", "https://wire.example/feed", kind="feed").interval_s == 900
    with pytest.raises(ConfigError, match="kind must be one of"):
        new_source("Wire", "https://wire.example/feed", kind="podcast")
    with pytest.raises(ConfigError, match="not an http"):
        new_source("Wire", "javascript:alert(1)", kind="page")
