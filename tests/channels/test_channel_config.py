"""The `channels:` mapping, a level's `channels`, `incidents: digest_channels`: read from the YAML,
errors at line and column with did-you-mean, and the warning for a channel nobody has."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from oncall.config.model import DEFAULT_CHANNELS
from oncall.configfile.loader import check_config
from oncall.severity import ChannelPlan, channels, level_channels
from tests.conftest import DEMO_CONFIG

DEMO = DEMO_CONFIG.read_text()
DELAY = timedelta(minutes=2)
NOW = timedelta(0)


def check(extra: str, text: str = DEMO):
    return check_config(text + "\n" + extra + "\n", "oncall.yaml")


def level_2_with(line: str, text: str = DEMO) -> str:
    """The demo file with `line` added to level 2 (Choi) of the payments escalation."""
    lines = text.splitlines()
    at = next(n for n, item in enumerate(lines) if "- notify: {person: choi}" in item)
    return "\n".join([*lines[: at + 1], f"        {line}", *lines[at + 1 :]]) + "\n"


def in_incidents(line: str) -> str:
    """The demo file with `line` added to its `incidents` section."""
    return DEMO.replace("incidents:\n", f"incidents:\n  {line}\n", 1)


def line_of(text: str, needle: str) -> int:
    found = enumerate(text.splitlines(), 1)
    return next(n for n, line in found if needle in line and not line.lstrip().startswith("#"))


def test_without_a_mapping_every_severity_pages_as_before():
    config, problems = check("")
    assert config is not None and config.channels == DEFAULT_CHANNELS
    assert channels("SEV-1", DELAY) == [ChannelPlan("sms", NOW, False), ChannelPlan("voice", NOW, False)]
    assert channels("SEV-2", DELAY) == [ChannelPlan("sms", NOW, False), ChannelPlan("voice", DELAY, True)]
    assert channels("SEV-3", DELAY) == [ChannelPlan("sms", NOW, False)]
    assert channels("SEV-4", DELAY) == []


def test_the_mapping_sets_named_severities_and_keeps_the_defaults_of_the_others():
    config, problems = check("channels:\n  SEV-2: [sms, voice, email]\n  SEV-3: email\n  SEV-4: []")
    assert config is not None, problems
    assert config.channels == {
        "SEV-1": ("sms", "voice"),
        "SEV-2": ("sms", "voice", "email"),
        "SEV-3": ("email",),
        "SEV-4": (),
    }
    # voice keeps its SEV-2 meaning (after the delay, stopped by an ack); email goes at once
    assert channels("SEV-2", DELAY, level_channels(config, "SEV-2")) == [
        ChannelPlan("sms", NOW, False),
        ChannelPlan("voice", DELAY, True),
        ChannelPlan("email", NOW, True),
    ]
    assert channels("SEV-1", DELAY, ("voice", "slack")) == [
        ChannelPlan("voice", NOW, False),
        ChannelPlan("slack", NOW, True),
    ]


def test_a_level_may_name_its_own_channels():
    text = level_2_with("channels: [slack, email]")
    config, problems = check("", text)
    assert config is not None, problems
    levels = config.escalations["payments"].levels
    assert levels[0].channels is None and levels[1].channels == ("slack", "email")
    assert level_channels(config, "SEV-1", levels[1].channels) == ("slack", "email")
    assert level_channels(config, "SEV-4", levels[1].channels) == ()  # SEV-4 still never pages


@pytest.mark.parametrize(
    ("extra", "needle", "message"),
    [
        (
            "channels:\n  SEV-2: [sms, emial]",
            "emial",
            "unknown channel `emial` in `SEV-2` in `channels` — did you mean `email`?",
        ),
        ("channels:\n  SEV2: [sms]", "SEV2", "unknown key `SEV2` in `channels` — did you mean `SEV-2`?"),
        ("channels:\n  SEV-4: [email]", "SEV-4: [email]", "SEV-4 never pages"),
        ("channels:\n  SEV-1: []", "SEV-1: []", "`SEV-1` in `channels` names no channel"),
        ("channels:\n  SEV-1: [sms, sms]", "SEV-1: [sms, sms]", "channel `sms` is named twice"),
    ],
)
def test_bad_channel_lists_are_errors_at_their_line(extra: str, needle: str, message: str):
    config, problems = check(extra)
    text = DEMO + "\n" + extra + "\n"
    assert config is None
    errors = [p for p in problems if p.severity == "error"]
    assert any(message in p.message and p.line == line_of(text, needle) for p in errors), errors


def test_an_unknown_channel_in_a_level_is_an_error_with_did_you_mean():
    text = level_2_with("channels: [slak]")
    config, problems = check_config(text, "oncall.yaml")
    assert config is None
    (error,) = [p for p in problems if p.severity == "error"]
    assert error.line == line_of(text, "channels: [slak]")
    assert (
        "unknown channel `slak` in `channels` of level 2 of escalation `payments` — did you mean `slack`?"
        in (error.message)
    )


def test_digest_channels_default_email_then_sms_and_can_be_set():
    config, _ = check("")
    assert config.incidents.digest_channels == ("email", "sms")
    config, problems = check_config(in_incidents("digest_channels: [sms]"), "oncall.yaml")
    assert config is not None, problems
    assert config.incidents.digest_channels == ("sms",)


def test_config_check_warns_when_a_mapping_uses_a_channel_nobody_has(tmp_path: Path):
    extra = "channels:\n  SEV-3: [email]"
    config, problems = check(extra)
    assert config is not None
    text = DEMO + "\n" + extra + "\n"
    (warning,) = [p for p in problems if "by email" in p.message]
    assert warning.severity == "warning" and warning.line == line_of(text, "SEV-3: [email]")
    assert "nobody it can page has `email:`" in warning.message
    # once someone has an address, the mapping is fine
    with_email = DEMO.replace("{name: Kim,  ", "{name: Kim, email: kim@example.com, ")
    config, problems = check(extra, with_email)
    assert config is not None and not [p for p in problems if "by email" in p.message]


def test_config_check_warns_for_a_level_override_its_people_cannot_take():
    text = level_2_with("channels: [slack]").replace("{name: Kim,  ", "{name: Kim, slack: U024BE7LH, ")
    config, problems = check_config(text, "oncall.yaml")
    assert config is not None
    (warning,) = [p for p in problems if "by slack" in p.message]
    assert warning.line == line_of(text, "channels: [slack]")
    assert "level 2 of escalation `payments` pages by slack" in warning.message


def test_an_unknown_digest_channel_is_an_error_at_its_line():
    text = in_incidents("digest_channels: [emial, sms]")
    config, problems = check_config(text, "oncall.yaml")
    assert config is None
    (error,) = problems
    assert error.line == line_of(text, "digest_channels")
    assert (
        "unknown channel `emial` in `digest_channels` of `incidents` — did you mean `email`?" in error.message
    )
