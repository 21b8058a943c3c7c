"""The README stays a front door (what the portal is, the two commands, a tour, links) and the
pages it links to are there: every relative link of the README and docs/ reaches a file, and a
heading when it names one; the floors' table names every app of the project (issue #25)."""

import re
import unicodedata
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)|(?:src|href)=\"([^\"]+)\"")


def anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, blanks to « - »."""
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
    slugs = set()
    for heading in re.findall(r"^#+ (.+)$", text, re.M):
        heading = unicodedata.normalize("NFC", heading.replace("`", "").lower())
        slugs.add(re.sub(r"[^\w\- ]", "", heading).replace(" ", "-"))
    return slugs


def links() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
        for match in LINK.finditer(text):
            target = match[1] or match[2]
            if not re.match(r"[a-z]+:", target):
                found.append((page.relative_to(ROOT).as_posix(), target))
    return found


def test_the_readme_is_a_front_door():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 200
    assert "```sh\nmake run\n```" in readme
    assert "```sh\nmake test\n```" in readme  # the command .ci/run calls


@pytest.mark.parametrize(("page", "target"), links(), ids=lambda value: value)
def test_every_link_of_the_docs_reaches_its_page_and_heading(page, target):
    path, _, anchor = target.partition("#")
    destination = (ROOT / page).parent / path if path else ROOT / page
    assert destination.exists(), f"{page}: {target} names no file"
    if anchor:
        assert anchor in anchors(destination), f"{page}: {target} names no heading"


def test_the_floors_table_names_every_app():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Layout") :].split("\n\n")[2]
    folders = set(re.findall(r"^\| \d+ \| `([a-z/_]+)/`", table, re.M))
    ours = {
        Path(config.path).resolve().relative_to(ROOT.resolve()).as_posix()
        for config in apps.get_app_configs()
        if "site-packages" not in config.path
        and Path(config.path).resolve().is_relative_to(ROOT.resolve())
    }
    assert folders == ours
