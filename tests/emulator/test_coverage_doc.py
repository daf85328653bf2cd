from pathlib import Path

import salesforce_emulator
from salesforce_emulator.rest.routes import coverage_markdown


def test_coverage_md_is_generated_from_the_route_table():
    path = Path(salesforce_emulator.__file__).with_name("COVERAGE.md")
    assert path.read_text("utf-8") == coverage_markdown(), (
        'COVERAGE.md is stale: regenerate with\n  python -c "from salesforce_emulator.rest.routes import '
        "coverage_markdown; print(coverage_markdown(), end='')\" > src/salesforce_emulator/COVERAGE.md"
    )


def test_architecture_boundaries():
    root = Path(salesforce_emulator.__file__).parent
    for module in root.rglob("*.py"):
        text = module.read_text("utf-8")
        assert "import orderhub" not in text and "from orderhub" not in text, module
        if module.parent.name in ("storage", "soql"):
            assert "starlette" not in text, f"{module} must not import starlette"
