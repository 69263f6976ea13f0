"""The YAML loader: any text is a configuration or a list of line-numbered problems, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from oncall.config.people_sections import PERSON_KEYS, TIME_OFF_KEYS
from oncall.config.schedule_sections import OVERRIDE_KEYS, ROTATION_KEYS
from oncall.configfile import check_config
from oncall.configfile.loader import TOP_LEVEL_KEYS
from tests.config.test_config_store import VALID
from tests.property.settings import bounded

NOW = datetime(2026, 3, 2, tzinfo=UTC)
KEYS = sorted(
    {*TOP_LEVEL_KEYS, *PERSON_KEYS, *ROTATION_KEYS, *OVERRIDE_KEYS, *TIME_OFF_KEYS, "levels", "notify"}
)
# Values of the right and wrong kinds: the file's own little languages, near misses, and junk.
SCALARS = st.one_of(
    st.sampled_from(
        [
            "mon 10:00",
            "10:00",
            "25:99",
            "2026-03-02",
            "9999-12-31",
            "0001-01-01",
            "2026-03-29 02:30",
            "9999-12-31 23:00",
            "Asia/Seoul",
            "America/New_York",
            "Australia/Lord_Howe",
            "KST",
            "weekly",
            "daily",
            "12h",
            "0s",
            "99999999999w",
            "1h30m",
            "kim",
            "lee",
            "+82 10-1234-5601",
            "",
            "~",
        ]
    ),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=20),
)
TREES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)


def _assert_problems_or_config(text: str) -> None:
    config, problems = check_config(text, "oncall.yaml", now=NOW)
    errors = [p for p in problems if p.severity == "error"]
    assert (config is None) == bool(errors)
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message


@bounded(300)
@given(st.text(max_size=300))
@example("\t- [")
@example("%YAML 1.1\n--- !!python/object:os.system\n")
@example("a: !!binary =\n")
@example("? [a, b]\n: c\n")
@example("---\n...\n---\n")
@example("<<: *x\n")
@example("\ufeff\x00")
def test_any_text_gives_a_config_or_problems(text):
    _assert_problems_or_config(text)


@bounded(300, deadline_ms=5000)
@given(st.dictionaries(st.sampled_from(TOP_LEVEL_KEYS) | st.text(max_size=8), TREES, max_size=8))
def test_random_mappings_with_wrong_types_and_unknown_keys_give_problems_not_crashes(tree):
    _assert_problems_or_config(yaml.safe_dump(tree, allow_unicode=True))


@bounded(200, deadline_ms=5000)
@given(
    st.integers(0, len(VALID.splitlines()) - 1), st.sampled_from(["", " ", "  ", "\t", "- ", "? "]), SCALARS
)
def test_a_valid_file_with_one_line_broken_gives_problems_not_crashes(line, indent, value):
    lines = VALID.splitlines()
    key = lines[line].strip().split(":")[0]
    lines[line] = (
        f"{indent}{key}: {yaml.safe_dump(value, default_flow_style=True).strip().removesuffix('...').strip()}"
    )
    _assert_problems_or_config("\n".join(lines) + "\n")


@bounded(200, deadline_ms=5000)
@given(st.sampled_from(["from", "to", "start"]), SCALARS)
@example("to", "9999-12-31 23:00")
@example("start", "9999-12-27")
def test_any_date_the_validator_accepts_works_in_the_schedule(field, value):
    text = VALID.replace("America/New_York", "Asia/Seoul")
    if field == "start":
        text = text.replace("start: 2026-03-02", f"start: {yaml.safe_dump(value).splitlines()[0]}")
    else:
        other = "from" if field == "to" else "to"
        edge = {"from": '"2026-03-20 18:00"', "to": '"2026-03-21 09:00"'}
        text += f"overrides:\n  - {{rotation: ops, person: lee, {other}: {edge[other]}, {field}: {yaml.safe_dump(value, default_flow_style=True).strip().removesuffix('...').strip()}}}\n"
    _assert_problems_or_config(text)


ROTATION = '  ops: {type: weekly, handoff: "mon 10:00", start: 2026-03-02, team: [kim, lee]}'


def _flow(value: object) -> str:
    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip().removesuffix("...").strip()


@bounded(300, deadline_ms=3000)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "type": SCALARS,
            "every": SCALARS,
            "handoff": SCALARS,
            "start": SCALARS,
            "timezone": SCALARS,
            "team": st.lists(st.sampled_from(["kim", "lee", "park"]), max_size=3),
        },
    ),
    st.sampled_from(["", "calendar: {horizon_ahead: %s}\n", "calendar: {horizon_back: %s}\n"]),
    SCALARS,
)
@example({"every": "99999999999w", "type": "every"}, "", None)
@example({"every": "1s", "type": "every"}, "", None)
@example({"every": "999999w", "type": "every"}, "", None)
@example({}, "calendar: {horizon_ahead: %s}\n", "3650d")
def test_any_rotation_settings_give_a_config_or_problems_quickly(fields, calendar, horizon):
    parts = ", ".join(f"{key}: {_flow(value)}" for key, value in {"team": ["kim", "lee"], **fields}.items())
    text = VALID.replace(ROTATION, f"  ops: {{{parts}}}")
    if calendar:
        text += calendar % _flow(horizon)
    _assert_problems_or_config(text)
