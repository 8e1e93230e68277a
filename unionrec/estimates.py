"""Estimates read once a request: figures that only choose how a list is read or counted
(members.counting: a subtree's size, the register's), which several steps of one request
ask for. Within a request each is read from the database once; outside requests (commands,
tasks, the tests' own code) every call reads it again. Never for a figure a user is shown:
a request that writes and then shows a figure must see its own write."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.core.signals import request_finished, request_started

_remembered: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar(
    "unionrec_estimates", default=None
)


def once_a_request[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """`function`'s answer for the same arguments (hashable ones) read once a request."""

    @wraps(function)
    def remembered(*args: P.args, **kwargs: P.kwargs) -> R:
        memory = _remembered.get()
        if memory is None:
            return function(*args, **kwargs)
        key = (function.__module__, function.__qualname__, args, tuple(sorted(kwargs.items())))
        if key not in memory:
            memory[key] = function(*args, **kwargs)
        return memory[key]  # type: ignore[no-any-return]

    return remembered


def _begin(**kwargs: Any) -> None:
    _remembered.set({})


def _end(**kwargs: Any) -> None:
    _remembered.set(None)


request_started.connect(_begin, dispatch_uid="unionrec.estimates.begin")
request_finished.connect(_end, dispatch_uid="unionrec.estimates.end")
