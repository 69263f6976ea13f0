"""Ingest against the store: what the executor writes for a plan (through the HTTP API)."""

from __future__ import annotations

API = "/api/v1/alerts"


def generic(status: str) -> dict:
    return {"rule": "DiskFull", "dedup_key": "disk-1", "status": status, "labels": {"team": "payments"}}


def test_a_key_resolved_and_fired_again_in_one_payload_starts_a_new_episode(client, auth) -> None:
    first = client.post(API, json=generic("firing"), headers=auth)
    (old,) = first.json["created"]

    again = client.post(API, json=[generic("resolved"), generic("firing")], headers=auth)

    assert again.status_code == 201, again.json  # was a 503: the new episode's key was still taken
    (new,) = again.json["created"]
    assert again.json["resolved"] == [old]
    listed = {a["id"]: a["status"] for a in client.get(f"{API}?status=all", headers=auth).json["alerts"]}
    assert listed == {old: "resolved", new: "triggered"}


def test_a_batch_is_one_answer_created_repeated_resolved_ignored(client, auth) -> None:
    client.post(API, json=[generic("firing"), {**generic("firing"), "dedup_key": "disk-2"}], headers=auth)

    answer = client.post(
        API,
        json=[
            generic("firing"),
            {**generic("resolved"), "dedup_key": "disk-2"},
            {**generic("firing"), "dedup_key": "disk-3"},
        ],
        headers=auth,
    )

    assert answer.status_code == 201, answer.json
    assert (len(answer.json["created"]), answer.json["repeated"], len(answer.json["resolved"])) == (1, 1, 1)
