"""The periodic jobs are the same wherever they are written down: the README's crontab,
docs/deploy.md's, and the loop `scripts/entrypoint cron` that compose.yaml runs. A job left
out of one (meeting reminders were) silently never runs on the instances set up from it."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
COMMAND = re.compile(r"manage\.py ([a-z_]+)")


def _crontab(path: Path) -> set[str]:
    blocks = re.findall(r"```cron\n(.*?)```", path.read_text(), re.S)
    assert blocks, f"no cron block in {path.name}"
    return {name for block in blocks for name in COMMAND.findall(block)}


def _entrypoint_loop() -> set[str]:
    script = (ROOT / "scripts" / "entrypoint").read_text()
    loop = script[script.index("  cron)") : script.index(";;", script.index("  cron)"))]
    return set(re.findall(r"\$PY manage\.py ([a-z_]+)", loop))


def test_the_periodic_jobs_are_the_same_in_the_readme_the_guide_and_the_loop():
    readme, guide, loop = (
        _crontab(ROOT / "README.md"),
        _crontab(ROOT / "docs/deploy.md"),
        _entrypoint_loop(),
    )
    assert readme == guide == loop, (readme, guide, loop)
    assert {"send_reminders", "requeue_stale_mails", "apply_retention"} <= loop


def test_the_readme_and_the_guide_give_the_same_crontab():
    """Lines to paste: the same folder (the guide's /srv/ptce/app), times and arguments."""

    def lines(path):
        block = re.search(r"```cron\n(.*?)```", path.read_text(), re.S)[1]
        return [line for line in block.splitlines() if line and not line.startswith("#")]

    assert lines(ROOT / "README.md") == lines(ROOT / "docs/deploy.md")


def test_the_platforms_run_the_loop_too():
    procfile = (ROOT / "Procfile").read_text()
    assert "cron: scripts/entrypoint cron" in procfile


def test_every_periodic_job_is_a_command_of_the_portal():
    commands = get_commands()
    assert _entrypoint_loop() <= set(commands)
