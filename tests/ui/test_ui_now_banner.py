"""The Now page looks at the file on disk itself: a rejected edit shows its banner there at once,
even on an instance that runs no background poller (the test app runs none)."""

from __future__ import annotations

import os


def edit(config_path, old: str, new: str) -> None:
    stat = config_path.stat()
    config_path.write_text(config_path.read_text().replace(old, new))
    os.utime(config_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later mtime


def test_the_now_page_shows_the_banner_of_an_invalid_file_without_a_poller(client, runtime, config_path):
    assert 'data-testid="config-rejected"' not in client.get("/").get_data(as_text=True)
    edit(config_path, 'handoff: "mon 10:00"', 'handoff: "someday"')
    page = client.get("/").get_data(as_text=True)
    banner = page.split('data-testid="config-rejected"')[1].split("</div>")[0]
    assert "The last edit of the configuration file was rejected" in banner and "someday" in banner
    assert 'data-testid="oncall-payments"' in page  # the last valid configuration still answers


def test_the_now_page_shows_a_valid_edit_at_once(client, runtime, config_path):
    edit(config_path, "name: Kim", "name: Kim Minji")
    assert "Kim Minji" in client.get("/").get_data(as_text=True)
