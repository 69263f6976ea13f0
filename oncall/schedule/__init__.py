"""Schedule math (docs/schedules.md): who is on call when, as plain data. Pure: no Flask, no database.

- `shifts_between`, `on_call_at`, `gaps`, `shifts_of_person`: the final schedule of a rotation.
- `regular_turns`: the base rotation alone, before time off and overrides.
- `levels_at`: whom each level of an escalation policy would notify at a moment.
- `preview_table`, `diff_schedules`, `render_diff`: text for reviewing a schedule or a change.
"""

from oncall.schedule.diff import ShiftChange, diff_schedules, render_diff
from oncall.schedule.levels import levels_at
from oncall.schedule.preview import preview_table
from oncall.schedule.shift import Shift
from oncall.schedule.shifts import gaps, on_call_at, shifts_between, shifts_of_person
from oncall.schedule.turns import handoff_instant, regular_turns, turn_index_at

__all__ = [
    "Shift",
    "ShiftChange",
    "diff_schedules",
    "gaps",
    "handoff_instant",
    "levels_at",
    "on_call_at",
    "preview_table",
    "regular_turns",
    "render_diff",
    "shifts_between",
    "shifts_of_person",
    "turn_index_at",
]
