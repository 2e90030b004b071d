"""Report text is data, never rich markup: a source named "[/bold]" must print as it reads."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from rich.console import Console

P = ParamSpec("P")
T = TypeVar("T")
R = TypeVar("R")


def markup_off(
    render: Callable[Concatenate[T, Console, P], R],
) -> Callable[Concatenate[T, Console, P], R]:
    """Run a renderer ``render(subject, console, ...)`` with the console's markup parsing off.

    Every string the report prints (file names, outlets, titles, actor and place names, quotes)
    comes from the reports; styles come from ``Text`` objects, so no string needs markup. Off
    for the whole call, table titles and cells are covered too, not only ``console.print``.
    """

    @functools.wraps(render)
    def run(subject: T, console: Console, /, *args: P.args, **kwargs: P.kwargs) -> R:
        # rich has no public switch for a console's markup after it is made.
        saved = console._markup
        console._markup = False
        try:
            return render(subject, console, *args, **kwargs)
        finally:
            console._markup = saved

    return run
