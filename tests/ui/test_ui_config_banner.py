"""A rejected edit of the YAML is announced on every page until the file on disk is valid again."""

from __future__ import annotations

import pytest

from oncall.app import create_app
from tests.conftest import with_settings

PAGES = ["/", "/alerts", "/schedule/payments", "/audit", "/outbox", "/config", "/login"]


def break_config(config_path, runtime, value: str) -> None:
    text = config_path.read_text()
    config_path.write_text(text.replace('handoff: "mon 10:00"', f'handoff: "{value}"'))
    assert runtime.config_store.reload() is False
    assert runtime.config_store.last_error


@pytest.mark.parametrize("path", PAGES)
def test_every_page_shows_the_rejected_edit_with_its_first_error_escaped(client, runtime, config_path, path):
    break_config(config_path, runtime, "<b>someday</b>")
    page = client.get(path).get_data(as_text=True)
    banner = page.split('data-testid="config-rejected"')[1].split("</div>")[0]
    assert "The last edit of the configuration file was rejected" in banner
    assert "file saved 20" in banner  # when: the rejected file's modification time
    line = next(i for i, t in enumerate(config_path.read_text().splitlines(), 1) if "someday" in t)
    assert f"oncall.yaml:{line}:" in banner
    assert "&lt;b&gt;someday&lt;/b&gt;" in banner and "<b>someday" not in banner


def test_the_banner_goes_once_the_file_is_fixed(client, runtime, config_path):
    original = config_path.read_text()
    break_config(config_path, runtime, "someday")
    assert 'data-testid="config-rejected"' in client.get("/").get_data(as_text=True)
    config_path.write_text(original)
    runtime.config_store.reload()
    assert 'data-testid="config-rejected"' not in client.get("/").get_data(as_text=True)


def test_closed_reading_keeps_the_error_text_from_anonymous_visitors(runtime, config_path):
    client = create_app(runtime=with_settings(runtime, ui_read_login=True)).test_client()
    break_config(config_path, runtime, "someday")
    page = client.get("/login").get_data(as_text=True)
    assert "someday" not in page and 'data-testid="config-rejected"' not in page
