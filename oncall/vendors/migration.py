"""What a vendor reader hands back: the plan to write and the vendor's schedule to check it by."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from oncall.vendors.plan import Plan
from oncall.vendors.timeline import Span

# (start, end) -> the vendor's final schedule of one rotation over [start, end).
Evaluator = Callable[[datetime, datetime], list[Span]]


@dataclass
class Migration:
    plan: Plan
    evaluators: dict[str, Evaluator] = field(default_factory=dict)
    # The vendor's own rendered schedule, where the export carried one (per rotation key).
    rendered: dict[str, list[Span]] = field(default_factory=dict)
