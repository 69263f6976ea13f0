"""The shell commands the README and docs/*.md show, found in their code blocks.

A block is a shell block when its fence says `sh`, `bash`, `shell` or `console`, or when a plain
(or `text`) block has a line starting with `$ `, `python -m oncall`, `.venv/bin/`, `make ` or
`curl `. In a `console` block (or any block using `$ ` prompts) each `$ ` line is a command (with
its continuation lines) and the lines after it, up to the next prompt, are its documented output.
Any other shell block is one script, run as a whole: its variables carry from line to line.

An HTML comment on the line before the fence (blank lines allowed) says how to treat the block:

    <!-- docs-check: skip (needs a real Twilio account) -->   not runnable here; the reason is required
    <!-- docs-check: exit 2 -->                              each command exits with this status
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

SHELL_LANGS = {"sh", "bash", "shell", "console"}
PLAIN_LANGS = {"", "text"}
COMMAND_START = re.compile(r"^\s*(\$ |python3? -m oncall|\.venv/bin/|make |curl )")
FENCE = re.compile(r"^(\s*)```\s*([\w+-]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*docs-check:\s*(.*?)\s*-->\s*$")
SKIP = re.compile(r"skip\s*\((.+)\)$")
EXIT = re.compile(r"exit\s+(\d+)$")


class MarkerError(ValueError):
    """A docs-check comment the check cannot read (a skip without a reason, a typo)."""


@dataclass(frozen=True)
class Command:
    """One command to run, where it is written, and what the doc says it prints."""

    text: str
    line: int
    expected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """A shell code block: its commands, and how the doc marked it."""

    path: Path
    line: int
    lang: str
    commands: tuple[Command, ...]
    script: bool  # run as one script (sh) rather than command by command (console)
    skip: str | None = None
    exit_status: int = 0

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def shell_blocks(path: Path, text: str) -> list[Block]:
    """Every shell block of a Markdown text, with its marker applied."""
    blocks: list[Block] = []
    lines = text.splitlines()
    marker: tuple[int, str] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        found = MARKER.match(line)
        fence = FENCE.match(line)
        if found:
            marker = (index + 1, found.group(1))
        elif fence:
            end = _closing_fence(lines, index + 1)
            body = [_dedent(row, fence.group(1)) for row in lines[index + 1 : end]]
            block = _block(path, index + 1, fence.group(2).lower(), body, marker)
            if block is not None:
                blocks.append(block)
            elif marker is not None:
                raise MarkerError(f"{path}:{marker[0]}: a docs-check comment before a block with no commands")
            marker = None
            index = end
        elif line.strip():
            marker = None
        index += 1
    return blocks


def _closing_fence(lines: list[str], start: int) -> int:
    for index in range(start, len(lines)):
        if lines[index].strip() == "```":
            return index
    return len(lines)


def _dedent(row: str, indent: str) -> str:
    return row[len(indent) :] if row.startswith(indent) else row.lstrip()


def _block(path: Path, line: int, lang: str, body: list[str], marker: tuple[int, str] | None) -> Block | None:
    has_commands = any(COMMAND_START.match(row) for row in body)
    if not (lang in SHELL_LANGS or (lang in PLAIN_LANGS and has_commands)):
        return None
    prompts = any(row.startswith("$ ") for row in body)
    if prompts:
        commands = _prompted(body, line)
    else:
        script = "\n".join(body).strip()
        commands = (Command(script, line + 1),) if script else ()
    skip, status = _read_marker(path, marker)
    return Block(path, line, lang, commands, script=not prompts, skip=skip, exit_status=status)


def _read_marker(path: Path, marker: tuple[int, str] | None) -> tuple[str | None, int]:
    if marker is None:
        return None, 0
    number, text = marker
    if skip := SKIP.fullmatch(text):
        return skip.group(1).strip(), 0
    if status := EXIT.fullmatch(text):
        return None, int(status.group(1))
    raise MarkerError(
        f"{path}:{number}: unreadable docs-check comment {text!r}; write 'skip (why)' or 'exit N'"
    )


def _prompted(body: list[str], first_line: int) -> tuple[Command, ...]:
    """`$ command` lines (with continuations) and the output lines after each."""
    commands: list[Command] = []
    index = 0
    while index < len(body):
        if not body[index].startswith("$ "):
            index += 1
            continue
        start = first_line + 1 + index
        text, index = _whole_command(body, index)
        output: list[str] = []
        while index < len(body) and not body[index].startswith("$ "):
            output.append(body[index])
            index += 1
        commands.append(Command(text, start, tuple(o for o in output if o.strip())))
    return tuple(commands)


def _whole_command(body: list[str], index: int) -> tuple[str, int]:
    """The command starting at body[index] (without `$ `), through `\\` and open-quote continuations."""
    parts = [body[index][2:]]
    index += 1
    while index < len(body) and not _complete("\n".join(parts)):
        parts.append(body[index])
        index += 1
    return "\n".join(parts), index


def _complete(text: str) -> bool:
    if text.rstrip().endswith("\\"):
        return False
    try:
        shlex.split(text, comments=True)
    except ValueError:  # an open quote: the command goes on on the next line
        return False
    return True


def output_matches(expected: tuple[str, ...], actual: str) -> str | None:
    """None when every documented output line appears in `actual`, in order; else the first missing.

    Whitespace runs compare equal; `…` in the doc stands for anything (a token, a date).
    """
    lines = [_squeeze(row) for row in actual.splitlines()]
    position = 0
    for wanted in expected:
        pattern = re.compile(".*".join(re.escape(part) for part in _squeeze(wanted).split("…")))
        while position < len(lines) and not pattern.fullmatch(lines[position]):
            position += 1
        if position == len(lines):
            return wanted
        position += 1
    return None


def _squeeze(text: str) -> str:
    return " ".join(text.split())
