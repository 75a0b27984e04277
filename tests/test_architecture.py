"""The import direction between our apps: contacts <- interactions <- segmentation."""

import ast
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "contacts": {"interactions", "segmentation"},
    "interactions": {"segmentation"},
}


def _imported_top_level_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_apps_only_import_the_apps_below_them(app):
    offenders = {
        str(path.relative_to(PROJECT_ROOT)): sorted(
            _imported_top_level_modules(path) & FORBIDDEN[app]
        )
        for path in (PROJECT_ROOT / app).rglob("*.py")
    }

    assert {path: names for path, names in offenders.items() if names} == {}
