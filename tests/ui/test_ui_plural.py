"""The configuration page counts in English: the demo has 1 rotation, not '1 rotations'."""

from __future__ import annotations


def test_the_config_page_says_1_rotation_and_2_routes(client):
    page = client.get("/config").get_data(as_text=True)
    assert "5 people, 1 rotation, 1 policy, 2 routes" in page
