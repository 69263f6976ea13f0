"""Every shell command the README and docs/*.md show runs against the demo, or says why not.

The demo is served as `make run` serves it (tests/demo_service.py: config/oncall.yaml, the console
notifier, a temp database, `var/demo-token`); each documented command runs in a copy of the
checkout with the demo token in `$T`/`$TOKEN`, and the docs' addresses (`http://127.0.0.1:8080`,
`https://oncall.example.com`) pointed at it. A command must exit 0 (or the status its block's
`<!-- docs-check: exit N -->` names) and print the output the doc shows; a command that cannot
run here is marked `<!-- docs-check: skip (why) -->`. How blocks are read: tests/docs/doc_commands.py.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from oncall.settings import ROOT
from tests.demo_service import DemoService
from tests.docs.doc_commands import Block, Command, MarkerError, output_matches, shell_blocks

pytestmark = pytest.mark.integration
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOC_ADDRESSES = ("http://127.0.0.1:8080", "https://oncall.example.com")
COMMAND_TIMEOUT = 30.0
# Every command runs in bash with these: a failing step fails the block, and curl fails on an
# HTTP error answer (a stale request in a doc is a 4xx, which plain `curl -s` would hide).
PRELUDE = 'curl() { command curl --fail-with-body --show-error "$@"; }\n'


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoService]:
    service = DemoService.start(tmp_path_factory.mktemp("docs-demo"))
    # The files the docs' examples name, as a reader would have them.
    shutil.copy(service.sandbox / "config" / "oncall.yaml", service.sandbox / "new-oncall.yaml")
    yield service
    service.stop()


@pytest.mark.parametrize("doc", DOCS, ids=[doc.name for doc in DOCS])
def test_every_command_in_the_doc_runs_against_the_demo(demo, doc):
    blocks = shell_blocks(doc.relative_to(ROOT), doc.read_text(encoding="utf-8"))
    failures = problems(blocks, demo)
    assert not failures, "\n\n".join(failures)


def problems(blocks: list[Block], demo: DemoService) -> list[str]:
    """What went wrong with each runnable command of `blocks` (empty when all is as documented)."""
    found: list[str] = []
    for block in blocks:
        if block.skip is not None:
            continue
        for command in block.commands:
            problem = run_as_documented(block, command, demo)
            if problem:
                found.append(f"{block.path}:{command.line}: {command.text}\n  {problem}")
    return found


def run_as_documented(block: Block, command: Command, demo: DemoService) -> str | None:
    """None when `command` exits and prints as its doc says; else what differed."""
    text = command.text
    for address in DOC_ADDRESSES:
        text = text.replace(address, demo.url)
    options = "set -euo pipefail\n" if block.script else "set -o pipefail\n"
    env = {**demo.env, "T": demo.token, "TOKEN": demo.token}
    try:
        done = subprocess.run(
            ["bash", "-c", options + PRELUDE + text],
            cwd=demo.sandbox,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return f"still running after {COMMAND_TIMEOUT:.0f} s; if it cannot run here, mark the block skip"
    printed = done.stdout + done.stderr
    if done.returncode != block.exit_status:
        hint = (
            ""
            if block.exit_status
            else " (if it cannot run here, mark the block `<!-- docs-check: skip (why) -->`)"
        )
        return f"exit status {done.returncode}, documented {block.exit_status}{hint}\n{_tail(printed)}"
    missing = output_matches(command.expected, printed)
    if missing is not None:
        return f"the doc shows {missing!r}, which it did not print:\n{_tail(printed)}"
    return None


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join("    " + row for row in text.strip().splitlines()[-lines:])


# The check itself: it must fail on a stale command, and only skip what is marked.

STALE = """
Run this:

```sh
python -m oncall no-such-command
```

<!-- docs-check: skip (needs a real Twilio account) -->
```sh
python -m oncall also-not-a-command
```

```console
$ python -m oncall who payments
payments: Nobody-By-That-Name since …
```
"""


def test_an_unmarked_failing_command_and_a_wrong_output_fail_the_check(demo):
    blocks = shell_blocks(Path("stale.md"), STALE)
    assert [b.skip for b in blocks] == [None, "needs a real Twilio account", None]
    found = problems(blocks, demo)
    assert len(found) == 2
    assert found[0].startswith("stale.md:5: python -m oncall no-such-command") and "exit status 2" in found[0]
    assert "Nobody-By-That-Name" in found[1]


def test_a_documented_exit_status_and_output_pass(demo):
    text = (
        "<!-- docs-check: exit 2 -->\n```console\n$ python -m oncall who nowhere\nunknown rotation …\n```\n"
    )
    assert problems(shell_blocks(Path("ok.md"), text), demo) == []


@pytest.mark.parametrize(
    "marker", ["<!-- docs-check: skip -->", "<!-- docs-check: skip () -->", "<!-- docs-check: skipp (x) -->"]
)
def test_a_skip_without_a_reason_is_refused(marker):
    with pytest.raises(MarkerError):
        shell_blocks(Path("bad.md"), f"{marker}\n```sh\nmake run\n```\n")


def test_plain_blocks_with_commands_count_and_prose_blocks_do_not():
    text = "```\n$ python -m oncall who\n```\n\n```\nSUMMARY:On call\n```\n\n```yaml\nmake: x\n```\n"
    blocks = shell_blocks(Path("x.md"), text)
    assert [(b.line, [c.text for c in b.commands]) for b in blocks] == [(1, ["python -m oncall who"])]


def test_console_commands_run_on_through_continuations_and_open_quotes():
    text = "```console\n$ curl -X POST \\\n    -d '{\"a\":\n  1}' x\nout line\n$ echo hi\nhi\n```\n"
    first, second = shell_blocks(Path("x.md"), text)[0].commands
    assert first.text == "curl -X POST \\\n    -d '{\"a\":\n  1}' x" and first.expected == ("out line",)
    assert (second.text, second.line, second.expected) == ("echo hi", 6, ("hi",))
