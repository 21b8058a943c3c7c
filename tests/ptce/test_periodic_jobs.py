"""The periodic jobs are listed once, in `scripts/entrypoint`'s groups, which the guide's crontab
(and any other crontab of the docs) and the loop `scripts/entrypoint cron` (compose.yaml, the
Procfile) all run. A job left out of one list (meeting reminders were) silently never ran on the
instances set up from it. Each group runs under a lock, so a slow run never overlaps the next."""

import fcntl
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
ENTRYPOINT = ROOT / "scripts" / "entrypoint"
GROUPS = {"frequent", "nightly", "morning"}


def _crontabs(path: Path) -> list[list[str]]:
    """Each crontab of a page that runs the jobs' groups, without its comments."""
    blocks = re.findall(r"```cron\n(.*?)```", path.read_text(), re.S)
    return [
        [line for line in block.splitlines() if line and not line.startswith("#")]
        for block in blocks
        if "entrypoint jobs" in block
    ]


def _section(name: str) -> str:
    script = ENTRYPOINT.read_text()
    start = script.index(name)
    return script[start : script.index("\n}\n" if name.endswith("{\n") else ";;\n  ", start)]


def _jobs_of_groups() -> set[str]:
    return set(re.findall(r"\$PY manage\.py ([a-z_]+)", _section("run_group() {\n")))


def test_every_crontab_of_the_docs_is_the_guides_with_every_group():
    (guide,) = _crontabs(ROOT / "docs/deploy.md")
    for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for crontab in _crontabs(page):
            assert crontab == guide, page.name
    assert {re.search(r"entrypoint jobs (\w+)$", line)[1] for line in guide} == GROUPS
    # Absolute paths: cron starts in the user's home folder.
    assert all("/srv/ptce/app/scripts/entrypoint jobs" in line for line in guide)


def test_the_loop_runs_the_same_groups():
    loop = _section("  cron)")
    assert set(re.findall(r"scripts/entrypoint jobs (\w+)", loop)) == GROUPS


def test_every_job_is_a_command_of_the_portal_and_none_is_forgotten():
    jobs = _jobs_of_groups()
    assert jobs <= set(get_commands())
    assert {"send_reminders", "requeue_stale_mails", "apply_retention", "clearsessions"} <= jobs
    assert "purge_audit_trail" in jobs
    assert {"prune_db_task_results", "clear_expired_cache"} <= jobs
    assert "read_portals" in jobs  # the national picture, read again each night


def test_the_platforms_run_the_loop_too():
    procfile = (ROOT / "Procfile").read_text()
    assert "cron: scripts/entrypoint cron" in procfile


def test_a_group_still_running_makes_the_next_run_skip(tmp_path):
    """Held as `flock` holds it: the second run says so and leaves at once, status 0 (cron
    would otherwise mail an error every 5 minutes while a mail server times out)."""
    environment = {**os.environ, "JOBS_LOCK_DIR": str(tmp_path), "ENV_FILE": os.devnull}
    with open(tmp_path / "ptce-jobs-frequent.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        skipped = subprocess.run(
            [str(ENTRYPOINT), "jobs", "frequent"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    assert skipped.returncode == 0, skipped.stderr
    assert "jobs frequent: the previous run has not finished, skipped" in skipped.stdout
    assert "start" not in skipped.stdout


def test_an_unknown_group_is_an_error(tmp_path):
    result = subprocess.run(
        [str(ENTRYPOINT), "jobs", "hourly"],
        env={**os.environ, "JOBS_LOCK_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert result.returncode != 0
    assert "frequent, nightly or morning" in result.stderr


def test_a_job_logs_no_axes_banner():
    """« AXES: BEGIN version … » at each start of each job filled the cron log."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={**os.environ, "DEBUG": "on", "ENV_FILE": os.devnull, "LOG_LEVEL": "INFO"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stderr + result.stdout
