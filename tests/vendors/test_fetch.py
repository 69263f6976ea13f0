"""`--url` and `--token`: the vendor's API, paginated, on the host given and nowhere else."""

from __future__ import annotations

import pytest

from oncall.vendors.errors import VendorDataError
from oncall.vendors.fetch import fetch_all
from oncall.vendors.run import migrate, read_paths
from tests.vendors.fake_vendor import TOKEN, FakeVendor, serving
from tests.vendors.helpers import NOW, fixture_dir
from tests.vendors.test_migrate_cli import oncall


@pytest.mark.parametrize("vendor", ["pagerduty", "opsgenie", "grafana-oncall"])
def test_fetched_bodies_migrate_like_the_saved_files(vendor):
    fake = FakeVendor(vendor)
    with serving(fake) as base:
        bodies = fetch_all(vendor, base, TOKEN)
    fetched = migrate(vendor, bodies, NOW, 12, check=True)
    saved = migrate(vendor, read_paths([fixture_dir(vendor)]), NOW, 12, check=True)
    assert fetched.text == saved.text
    assert "same person at every instant" in fetched.text
    assert sum("users" in path for path in fake.requests) == 2  # both pages of users were read


def test_the_cli_fetches_with_url_and_token(tmp_path):
    out = tmp_path / "pd.yaml"
    with serving(FakeVendor("pagerduty")) as base:
        result = oncall(
            "migrate",
            "pagerduty",
            "--url",
            base,
            "--token",
            TOKEN,
            "--out",
            str(out),
            "--now",
            "2027-01-15T00:00Z",
        )
    assert result.returncode == 0, result.stderr
    assert "5 people" in result.stderr
    assert "platform_primary:" in out.read_text()


def test_a_refused_token_is_a_clear_error(tmp_path):
    out = tmp_path / "pd.yaml"
    with serving(FakeVendor("pagerduty")) as base:
        result = oncall("migrate", "pagerduty", "--url", base, "--token", "wrong", "--out", str(out))
    assert result.returncode == 1
    assert "the token was refused (401); check --token" in result.stderr
    assert not out.exists()


def test_a_wrong_base_address_is_a_clear_404():
    with (
        serving(FakeVendor("grafana-oncall")) as base,
        pytest.raises(VendorDataError, match=r"not found \(404\)"),
    ):
        fetch_all("grafana-oncall", base + "/nothing-here", TOKEN)


def test_a_next_link_to_another_host_is_not_followed():
    fake = FakeVendor("opsgenie", foreign_next=True)
    with serving(fake) as base, pytest.raises(VendorDataError, match="is not on the host given with --url"):
        fetch_all("opsgenie", base, TOKEN)


def test_a_slow_vendor_times_out_with_a_clear_error():
    with (
        serving(FakeVendor("opsgenie", delay=1.0)) as base,
        pytest.raises(VendorDataError, match=r"no answer within 0.3 s"),
    ):
        fetch_all("opsgenie", base, TOKEN, timeout=0.3)
