"""The layout shows the architecture (docs/architecture.md): floors that import only downwards,
modules small enough to read, scripts that stand on the code and not on the tests."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
APPS = (
    "association",
    "outbox",
    "members",
    "groups",
    "events",
    "scic",
    "joining",
    "report",
    "space",
    "ptce",
)
MAX_LINES = 500
# Data, not logic: the newsletter's content as the demo loads it.
DATA_MODULES = {BASE / "ptce/demo/newsletter.py"}


def _python_files(*folders: str):
    for folder in folders:
        for path in (BASE / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_each_app_imports_only_the_floors_below_it():
    """import-linter's contract in pyproject.toml: an upward import or a circle fails here."""
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    result = subprocess.run(
        [command, "--no-cache"], cwd=BASE, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


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


def test_the_installed_apps_are_listed_floor_by_floor():
    """Their order in the settings is the order of the floors (and of template lookup)."""
    ours = [app for app in settings.INSTALLED_APPS if app.split(".")[0] in APPS]
    assert ours == [*APPS[:-1], "ptce", "ptce.demo", "ptce.apps.PortalAdminConfig"]


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
