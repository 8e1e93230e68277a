"""Races run for real (reliability-security §3, tests 28 and 59): writers in threads of their
own, each with its own database connection, and a meeting point between a writer's checks
and its writes, so that writers that are not serialised race every time, not by chance.

Tests that use threads need `pytest.mark.django_db(transaction=True)`: each thread's
connection sees only committed rows."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

PATIENCE = 1.0  # seconds a writer waits at the meeting point for the others


class Meeting:
    """The point between a writer's checks and its writes: each writer waits there up to
    PATIENCE seconds for the others. Writers that are serialised never meet (the second one
    waits for the first one's lock before it checks anything), so the first goes on alone
    after PATIENCE and its checks still hold when it writes. Writers that are not serialised
    all arrive and go on together, each with what it read before the others wrote: their
    race then happens on every run. No test asserts a time."""

    def __init__(self, writers: int = 2) -> None:
        self.barrier = threading.Barrier(writers)

    def __call__(self) -> None:
        # Alone after PATIENCE: the others wait for a lock this writer holds.
        with contextlib.suppress(threading.BrokenBarrierError):
            self.barrier.wait(PATIENCE)


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Start every call at once, each in a thread of its own; return what each returned, or
    the exception it raised, in the order of the calls."""
    results: list[Any] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results[index] = call()
        except BaseException as error:  # the test reports it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
