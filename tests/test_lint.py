"""The commit hooks (.pre-commit-config.yaml) run what CI's lint runs (the Makefile's `lint`),
so a commit the hooks let through passes CI's first step: the two lists name the same checks,
and django-upgrade leaves out the same files in both (issue #25)."""

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CHECKS = {
    "ruff check",
    "ruff format",
    "django-upgrade --target-version 6.1",
    "djlint --lint",
    "makemigrations --check --dry-run",
    "lint-imports --no-cache",
    "lock-requirements --check",
}


def hooks() -> list[dict]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def lint_recipe() -> str:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^lint: install.*?\n((?:\t.*\n)+)", makefile, re.M)[1]
    return recipe.replace("\\\n", " ")


def checks_in(text: str) -> set[str]:
    return {check for check in CHECKS if check in re.sub(r"\s+", " ", text)}


def test_the_hooks_and_make_lint_run_the_same_checks():
    assert checks_in(lint_recipe()) == CHECKS
    assert set().union(*(checks_in(hook["entry"]) for hook in hooks())) == CHECKS
    assert all(len(checks_in(hook["entry"])) == 1 for hook in hooks())


def test_django_upgrade_leaves_out_the_same_files_in_both():
    (hook,) = [hook for hook in hooks() if hook["id"] == "django-upgrade"]
    left_out = set(re.findall(r"-path \./(\S+\.py)", lint_recipe()))
    folders = [p for p in ROOT.iterdir() if p.is_dir() and p.name not in {".venv", "node_modules"}]
    ours = {path.relative_to(ROOT).as_posix() for f in folders for path in f.rglob("*.py")}
    assert left_out <= ours
    exclude = hook.get("exclude")  # none today: every file is upgraded
    assert {path for path in ours if exclude and re.search(exclude, path)} == left_out
