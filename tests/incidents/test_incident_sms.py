"""Incidents by SMS: `12i` declares from a page, `u INC-7 ...` posts an update, a Scribe's free
text is a note; through signed webhooks to the served app, the real Twilio SDK and the fake."""

from __future__ import annotations

from oncall.paging.messages import help_text
from oncall.paging.replies import Reply, parse_reply
from tests.conversations.phone import Conversation, reply_code
from tests.incidents.incident_phone import declare, incident


def test_the_incident_verbs_parse_and_the_alert_verbs_keep_their_meaning():
    assert parse_reply("12i") == Reply("declare", 12)
    assert parse_reply("i 12") == Reply("declare", 12)
    assert parse_reply("u INC-7 monitoring fix deployed") == Reply(
        "incident_update", incident=7, text="fix deployed", status="Monitoring"
    )
    assert parse_reply("u inc-7 Checkout  still failing") == Reply(
        "incident_update", incident=7, text="Checkout still failing"
    )
    assert parse_reply("n INC-7 restarted payments-api") == Reply(
        "incident_note", incident=7, text="restarted payments-api"
    )
    assert parse_reply("a INC-7") == Reply("incident_ack", incident=7)
    assert parse_reply("n 12") == Reply("noise", 12)  # without INC- it is still a vote
    assert parse_reply("i") == Reply("unknown")  # declaring needs an alert code
    assert parse_reply("restarted the pod") == Reply("unknown")


def test_code_i_declares_from_the_alert_and_names_it_when_asked_again(talk: Conversation):
    alert = talk.page("HighErrorRate", summary="error rate 45%")
    code = reply_code(talk.expect_sms("kim", "HighErrorRate"))
    talk.expect_call("kim")
    answer = talk.reply("kim", f"{code}i")
    assert (
        answer == f"Declared INC-1 (SEV-1) from alert #{alert} - you are Commander. Updates: u INC-1 <text>"
    )
    found = incident(talk, 1)
    assert found["severity"] == "SEV-1" and found["title"].startswith("HighErrorRate")
    assert found["roles"]["commander"]["person"] == "kim"
    assert any(f"Alert #{alert}" in e["text"] for e in found["timeline"])
    talk.tick()
    talk.expect_no_page("kim")  # she made herself Commander: no page about it
    again = talk.reply("kim", f"{code}i")
    assert again.startswith(f"Alert #{alert} is already in INC-1 (SEV-1), Commander Kim")


def test_u_posts_an_update_and_a_refused_move_answers_why(talk: Conversation):
    number = declare(talk, "SEV-1", commander="kim")
    talk.expect_sms("kim", f"INC-{number}")
    talk.expect_call("kim")
    assert (
        talk.reply("kim", f"u INC-{number} checkout errors 40%")
        == f"Posted update to INC-{number} (Investigating)"
    )
    assert (
        talk.reply("kim", f"u INC-{number} monitoring fix deployed")
        == f"Posted update to INC-{number} (Monitoring)"
    )
    assert incident(talk, number)["status"] == "Monitoring"
    refused = talk.reply("kim", f"u INC-{number} investigating again?")
    assert refused.startswith("Not posted: status cannot go from Monitoring to Investigating")
    assert incident(talk, number)["status"] == "Monitoring"
    assert talk.reply("lee", f"u INC-{number} hello") == f"You hold no role on INC-{number}"


def test_a_scribes_free_text_is_a_note_and_two_incidents_ask_for_the_prefix(talk: Conversation):
    first = declare(talk, "SEV-3", scribe="lee")
    talk.expect_sms("lee", f"INC-{first}")
    assert talk.reply("lee", "restarted payments-api pod 3") == f"Noted on INC-{first}"
    notes = [e for e in incident(talk, first)["timeline"] if e["text"] == "restarted payments-api pod 3"]
    assert [(n["kind"], n["actor"]) for n in notes] == [("note", "Lee")]

    second = declare(talk, "SEV-3", scribe="lee")
    talk.advance(minutes=1)
    talk.expect_sms("lee", f"INC-{second}")
    assert talk.reply("lee", "db failover started") == (
        f"You are Scribe on INC-{second}, INC-{first}: start with n INC-{second} <text>"
    )
    assert talk.reply("lee", f"n INC-{first} db failover started") == f"Noted on INC-{first}"


def test_free_text_from_someone_with_no_role_keeps_the_help_line(talk: Conversation):
    declare(talk, "SEV-3", scribe="lee")
    assert talk.reply("park", "what is going on?") == help_text()
