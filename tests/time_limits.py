"""Every test runs under a time limit, so a hang is a failure with a cause, in minutes.

Three levels, from the finest:

1. pytest-timeout (configured in pyproject.toml: short for ordinary tests, longer for the
   browser's, see tests/browser/conftest.py). Past the limit it prints every thread's stack
   and fails the test from the test's own thread (SIGALRM); the run goes on.
2. A watchdog for what the signal cannot reach (a thread stuck in C code holding the GIL): past
   twice the limit, faulthandler's own thread prints every thread's stack and ends the process.
3. When CI's pass limit (.ci/run) stops the run with SIGTERM, every thread's stack is printed
   first.

And a run whose tests are over never waits for a thread left running (Python waits for every
non-daemon thread before it exits): it prints their stacks and leaves with the run's status.
"""

import faulthandler
import os
import signal
import sys
import threading
import time

import pytest

_EXIT_STATUS = pytest.StashKey[int]()
# The terminal's standard error, never pytest's capture of it (set in pytest_configure).
_STDERR = sys.__stderr__


def time_limit(item: pytest.Item) -> float:
    """The limit pytest-timeout applies to the item, in seconds (0: none)."""
    marker = item.get_closest_marker("timeout")
    if marker is not None and marker.args:
        return float(marker.args[0] or 0)
    return float(item.config.getini("timeout") or 0)


# The grace, in seconds, a left-over thread gets to finish once the tests are over (the ini
# option `threads_grace` changes it: the test of this plugin does not wait ten seconds).
THREADS_GRACE = 10
# Creating the test database (every migration, once per run, in the first test's set-up) is not
# that test's time: it has a limit of its own.
DATABASE_SETUP_LIMIT = 300


def pytest_addoption(parser):
    parser.addini("threads_grace", "seconds a left-over thread gets once the tests are over")


def pytest_configure(config):
    global _STDERR
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            _STDERR = os.fdopen(os.dup(2), "w")
    faulthandler.register(signal.SIGTERM, file=_STDERR, all_threads=True, chain=True)


def pytest_sessionfinish(session, exitstatus):
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


def pytest_unconfigure(config):
    deadline = time.monotonic() + float(config.getini("threads_grace") or THREADS_GRACE)
    for thread in _left_over_threads():
        thread.join(max(0.0, deadline - time.monotonic()))
    if left := _left_over_threads():
        names = ", ".join(thread.name for thread in left)
        print(
            f"\nThreads still running after the tests ({names}): their stacks, then exit.",
            file=_STDERR,
        )
        faulthandler.dump_traceback(file=_STDERR, all_threads=True)
        _STDERR.flush()
        sys.stdout.flush()
        os._exit(config.stash.get(_EXIT_STATUS, 1) or 1)


def _left_over_threads() -> list[threading.Thread]:
    return [
        thread
        for thread in threading.enumerate()
        if thread is not threading.main_thread() and not thread.daemon and thread.is_alive()
    ]


def _watch(limit: float) -> None:
    faulthandler.dump_traceback_later(2 * limit + 30, exit=True, file=_STDERR)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    limit = time_limit(item)
    if limit:
        _watch(limit)
    try:
        return (yield)
    finally:
        if limit:
            faulthandler.cancel_dump_traceback_later()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """The test database's creation runs under DATABASE_SETUP_LIMIT, then the test's own clock
    (pytest-timeout's SIGALRM timer) resumes where it was."""
    if fixturedef.argname != "django_db_setup" or not time_limit(request.node):
        return (yield)
    remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    signal.setitimer(signal.ITIMER_REAL, DATABASE_SETUP_LIMIT)
    _watch(DATABASE_SETUP_LIMIT)
    try:
        return (yield)
    finally:
        signal.setitimer(signal.ITIMER_REAL, remaining)
        _watch(time_limit(request.node))
