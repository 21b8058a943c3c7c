"""The test run cannot hang: each test has a time limit that fails it with every thread's stack,
and the live server's threads never share the test thread's SQLite connection."""

import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.db import connection

from tests.time_limits import time_limit

HANGING_TESTS = textwrap.dedent(
    """
    import threading


    def test_waits_for_a_thread_that_waits_for_ever():
        never = threading.Event()
        worker = threading.Thread(target=never.wait, name="stuck-request-thread")
        worker.start()
        worker.join()


    def test_the_next_test_still_runs():
        assert True
    """
)


@pytest.mark.slow
def test_a_hanging_test_fails_with_every_threads_stack_and_the_run_goes_on(tmp_path):
    (tmp_path / "test_hang.py").write_text(HANGING_TESTS)
    run = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "tests.time_limits", "-p", "no:django"),
            *("-p", "no:cacheprovider", "-o", "timeout=2", "-o", "timeout_method=signal"),
            *("-o", "threads_grace=1"),
            "test_hang.py",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(settings.BASE_DIR), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=50,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "Timeout (>2.0s) from pytest-timeout" in output
    assert "stuck-request-thread" in output  # the other thread's stack is printed
    assert "1 failed, 1 passed" in output
    # The left-over thread is not waited for at exit: its stack is printed instead.
    assert "Threads still running after the tests (stuck-request-thread)" in output


def test_every_test_has_a_time_limit(request):
    assert 0 < time_limit(request.node) <= 60


def test_the_live_servers_threads_open_their_own_connections(live_server):
    if connection.vendor == "sqlite":
        assert not connection.is_in_memory_db()
    assert live_server.thread.connections_override == {}
