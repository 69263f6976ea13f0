"""docs/architecture.md lists the layers exactly as the import-linter contract has them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_documented_layer_order_is_the_enforced_one():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["id"] == "layers"]
    text = (ROOT / "docs" / "architecture.md").read_text()
    block = re.search(r"is the `layers` contract:\n\n```\n(.*?)```", text, re.S)
    assert block is not None, "docs/architecture.md lost its layer list"
    assert block.group(1).splitlines() == layers
