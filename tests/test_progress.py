"""oncall.progress: a tqdm bar on a terminal, silence elsewhere, and never loaded by the server."""

from __future__ import annotations

import io
import subprocess
import sys

from oncall.progress import counted_lines, progress_bar, size_of
from oncall.settings import ROOT
from tests.terminal import Terminal, has_bar


def test_a_stream_that_is_not_a_terminal_gets_nothing():
    stream = io.StringIO()
    with progress_bar("work", 10, stream=stream) as bar:
        bar.update(10)
    assert stream.getvalue() == ""


def test_a_terminal_gets_a_bar_with_its_total():
    with Terminal() as term:
        with progress_bar("work", 2048, "B", stream=term.stream) as bar:
            bar.update(1024)
        drawn = term.read()
    assert has_bar(drawn) and "work" in drawn and "2.00k" in drawn  # bytes in kB (1024 each)


def test_counted_lines_count_every_byte_and_decode_utf8(tmp_path):
    path = tmp_path / "lines"
    path.write_bytes("".join(f"{i} 서울\n" for i in range(2500)).encode())
    with Terminal() as term, path.open("rb") as handle:
        with progress_bar("x", size_of(handle), "B", stream=term.stream) as bar:
            lines = list(counted_lines(handle, bar))
            counted, total = bar.n, bar.total
    assert lines[1] == "1 서울\n" and len(lines) == 2500
    assert counted == total == path.stat().st_size


def test_the_server_never_imports_tqdm():
    probe = (
        "import sys, oncall.app, oncall.runtime, oncall.serve, oncall.cli.main; print('tqdm' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
