"""The README stays short, and the docs link only to files in the repository."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README_LIMIT = 8 * 1024

FENCED_CODE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
WEB_URL = re.compile(r"\bhttps?://[^\s)>\]`'\"]+", re.IGNORECASE)
LOCAL_WEB_URL = re.compile(
    r"^https?://(127\.0\.0\.1|localhost)(:\d+)?(/|$)", re.IGNORECASE
)


def links(document: Path) -> list[str]:
    text = FENCED_CODE.sub("", document.read_text(encoding="utf-8"))
    return INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text)


def anchors(document: Path) -> set[str]:
    """The heading anchors a Markdown renderer makes (GitHub's rule)."""
    text = FENCED_CODE.sub("", document.read_text(encoding="utf-8"))
    headings = re.findall(r"^#+\s+(.+?)\s*$", text, re.MULTILINE)
    return {
        re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        for heading in headings
    }


def test_the_readme_is_at_most_8_kb():
    assert (ROOT / "README.md").stat().st_size <= README_LIMIT


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_relative_link_points_to_a_file_in_the_repository(document):
    for target in links(document):
        if WEB_URL.match(target) or target.startswith("mailto:"):
            continue
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        assert linked.is_relative_to(ROOT), (
            f"{document.name}: {target} leaves the repository"
        )
        assert linked.exists(), f"{document.name}: {target} does not exist"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked), (
                f"{document.name}: no heading for {target}"
            )


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_no_link_points_outside_the_repository(document):
    text = document.read_text(encoding="utf-8")
    outside = [url for url in WEB_URL.findall(text) if not LOCAL_WEB_URL.match(url)]
    assert not outside, f"{document.name} links outside the repository: {outside}"
    for target in links(document):
        assert not target.startswith("mailto:"), f"{document.name}: {target}"


def _pinned(requirements: Path) -> list[str]:
    lines = requirements.read_text(encoding="utf-8").splitlines()
    return [line.split("==")[0].lower() for line in lines if "==" in line]


def _explained() -> set[str]:
    """The package names in the first column of docs/dependencies.md's tables."""
    text = (ROOT / "docs" / "dependencies.md").read_text(encoding="utf-8")
    cells = re.findall(r"^\|\s*([^|]+?)\s*\|", text, re.MULTILINE)
    return {word.lower() for cell in cells for word in cell.replace("+", " ").split()}


@pytest.mark.parametrize("requirements", ["requirements.txt", "requirements-dev.txt"])
def test_every_pinned_dependency_says_why_it_is_there(requirements):
    unexplained = set(_pinned(ROOT / requirements)) - _explained()

    assert not unexplained, f"docs/dependencies.md does not say why: {unexplained}"
