"""sitroom's one exception hierarchy. Errors become messages only at the CLI/API edge."""

from __future__ import annotations


class SitroomError(Exception):
    """Base class for every error sitroom raises on purpose."""


class ConfigError(SitroomError):
    """A configuration file or value is invalid."""


class InputError(SitroomError):
    """An input report cannot be read; the message names the input (and line)."""

    def __init__(self, message: str, *, source: str, line: int | None = None) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")
        self.source = source
        self.line = line
        self.reason = message

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled whole (a Ray actor or worker process reports it back), not from its message.
        return (_input_error, (self.reason, self.source, self.line))


def _input_error(message: str, source: str, line: int | None) -> InputError:
    return InputError(message, source=source, line=line)


class KnowledgeBaseError(SitroomError):
    """A shipped or user knowledge-base file is malformed."""


class GazetteerError(SitroomError):
    """The gazetteer cannot be built or loaded."""


class StoreError(SitroomError):
    """The database cannot be opened, migrated or written."""


class ExportError(SitroomError):
    """An export format is unknown or the output cannot be written."""


class FetchError(SitroomError):
    """A URL cannot be fetched (refused, down, too large, malformed); the message names it."""

    def __init__(self, message: str, *, url: str, retry: bool = True) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message
        self.retry = retry  # worth trying again on the next poll (a refusal is not)
