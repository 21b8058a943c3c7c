"""The layout shows the architecture (docs/architecture.md): floors that import only downwards,
modules small enough to read, scripts that stand on the code and not on the tests."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
IMPORT_CONTRACT = tomllib.loads((BASE / "pyproject.toml").read_text())["tool"]["importlinter"]
# The floors, written once: the import contract's layers (top first there), from the ground up
# here, the apps of one floor side by side. Every other place that lists them is held to it.
FLOORS = [
    [app.strip() for app in layer.split("|")]
    for layer in reversed(IMPORT_CONTRACT["contracts"][0]["layers"])
]
APPS = tuple(app for floor in FLOORS for app in floor)
MAX_LINES = 500
# Data, not logic: the newsletter's content as the demo loads it.
DATA_MODULES = {BASE / "ptce/demo/newsletter.py"}


def _python_files(*folders: str):
    for folder in folders:
        for path in (BASE / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_each_app_imports_only_the_floors_below_it():
    """import-linter's contracts in pyproject.toml: an upward import or a circle fails here."""
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    result = subprocess.run(
        [command, "--no-cache"], cwd=BASE, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(IMPORT_CONTRACT['contracts'])} kept, 0 broken" in result.stdout


def test_no_module_outside_the_demo_data_is_over_500_lines():
    long = {
        str(path.relative_to(BASE)): count
        for path in _python_files(*APPS, "tests", "scripts")
        if path not in DATA_MODULES and (count := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_scripts_do_not_import_the_tests():
    imports = re.compile(r"^\s*(from|import)\s+tests\b", re.M)
    assert [p.name for p in (BASE / "scripts").glob("*.py") if imports.search(p.read_text())] == []


def _floor_of(app: str) -> int:
    return next(index for index, floor in enumerate(FLOORS) if app.split(".")[0] in floor)


def test_the_installed_apps_are_listed_floor_by_floor():
    """Their order in the settings is the order of the floors (and of template lookup)."""
    ours = [app for app in settings.INSTALLED_APPS if app.split(".")[0] in APPS]
    assert {app.split(".")[0] for app in ours} == set(APPS)
    assert [_floor_of(app) for app in ours] == sorted(_floor_of(app) for app in ours)


def test_the_import_contract_covers_every_floor():
    assert sorted(IMPORT_CONTRACT["root_packages"]) == sorted(APPS)


def _floors_drawn_in_the_docs() -> list[list[str]]:
    """The floors of docs/architecture.md's drawing, from the ground up: a numbered cell
    (« 4  groups/ ») opens a floor, an unnumbered one (« space/ ») stands on the last."""
    text = (BASE / "docs/architecture.md").read_text()
    drawing = text.split("```text", 1)[1].split("```", 1)[0]
    floors: dict[int, list[str]] = {}
    number = None
    for line in drawing.splitlines():
        for cell in line.split("│"):
            found = re.match(r" (\d)?\s+(\w+)/\s", cell)
            if found is None:
                continue
            number = int(found[1]) if found[1] else number
            if found[2] not in floors.setdefault(number, []):
                floors[number].append(found[2])
    return [sorted(floors[n]) for n in sorted(floors)]


def test_the_architecture_docs_draw_the_floors_of_the_contract():
    assert _floors_drawn_in_the_docs() == [sorted(floor) for floor in FLOORS]


def test_the_roles_name_no_upper_app_s_model_on_the_ground_floor():
    """Issue 25: each app declares what the back-office roles may do on its own models
    (`association.roles.register_permissions`, from its `ready()`); the ground floor's roles
    name no upper app nor its models."""
    from django.apps import apps

    upper = {app for app in APPS[1:] if app != "ptce"}
    upper |= {
        model._meta.model_name for app in upper for model in apps.get_app_config(app).get_models()
    }
    named = {
        f"{path.name}: {name}"
        for path in (BASE / "association/roles.py", BASE / "association/apps.py")
        for name in re.findall(r"[\"'](\w+)[\"']", path.read_text())
        if name in upper
    }
    assert named == set()
