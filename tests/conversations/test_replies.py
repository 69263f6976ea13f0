"""Every way a person answers a page, as a conversation: page → reply → effect.

The service pages through the real Twilio SDK into the fake Twilio; the answers come back as
signed webhooks to the served app; the clock only moves when a test moves it. The demo team:
Kim is on call (level 1), Choi is the team lead (level 2, after 15 min), Jung the VP (level 3,
after 30 min if unresolved). An SMS page reads `[SEV-1 #1] HighErrorRate payments: … — reply 1a
ack, 1r resolve, 1n noise`; a call says the alert and waits for one key.

SMS replies                                        here, or already told elsewhere
  1a           acknowledge alert 1                 tests/integration/test_conversation.py (served
                                                   process), tests/escalation/test_paging_flow.py
  ack 1        the same, words first               test_ack_then_code_acknowledges
  a            acknowledge the latest page         test_bare_a_acknowledges_the_latest_page
  1r           resolve                             test_code_r_resolves_and_pages_nobody_again
  1e           escalate now                        test_code_e_pages_the_team_lead_now
  1n / 1y      vote not actionable / actionable    test_code_n_and_y_are_votes_for_the_auditor
  help         the one-line help                   test_help_answers_the_grammar
  7a (no such code)   one line of help, no change  integration/test_conversation.py,
                                                   escalation/test_paging_flow.py
  unknown sender      silence, no change           the same two files
  STOP / START        SMS off (calls go on) / on   the same two files
  100a (bundle code)  acknowledge a whole bundle   tests/escalation/test_storm_flow.py
Call keys
  1  acknowledge                                   integration/test_conversation.py
  2  resolve                                       test_key_2_resolves
  3  escalate now                                  test_key_3_escalates_to_the_team_lead
  9  not actionable                                test_key_9_votes_not_actionable
  *  say it again                                  test_star_repeats_the_alert_then_1_acknowledges
"""

from __future__ import annotations

from tests.conversations.phone import Conversation, reply_code


def test_ack_then_code_acknowledges(talk: Conversation):
    alert = talk.page("HighErrorRate", summary="error rate 45%")
    code = reply_code(talk.expect_sms("kim", "HighErrorRate"))
    talk.expect_call("kim")
    assert talk.reply("kim", f"ack {code}") == f"Acknowledged #{code} HighErrorRate"
    assert talk.status(alert) == "acknowledged"
    talk.advance(minutes=16)
    talk.expect_no_page("choi")


def test_bare_a_acknowledges_the_latest_page(talk: Conversation):
    first = talk.page("DiskFull")
    talk.expect_sms("kim", "DiskFull")
    talk.expect_call("kim")
    talk.advance(minutes=1)  # the next page is its own message, not a bundle
    latest = talk.page("HighErrorRate")
    code = reply_code(talk.expect_sms("kim", "HighErrorRate"))
    talk.expect_call("kim")
    assert talk.reply("kim", "a") == f"Acknowledged #{code} HighErrorRate"
    assert talk.status(latest) == "acknowledged"
    assert talk.status(first) == "triggered"


def test_code_r_resolves_and_pages_nobody_again(talk: Conversation):
    alert = talk.page("HighErrorRate")
    code = reply_code(talk.expect_sms("kim", "HighErrorRate"))
    talk.expect_call("kim")
    assert talk.reply("kim", f"{code}r") == f"Resolved #{code} HighErrorRate"
    assert talk.status(alert) == "resolved"
    talk.advance(minutes=31)
    for person in ("kim", "choi", "jung"):
        talk.expect_no_page(person)


def test_code_e_pages_the_team_lead_now(talk: Conversation):
    alert = talk.page("HighErrorRate")
    code = reply_code(talk.expect_sms("kim", "HighErrorRate"))
    talk.expect_call("kim")
    answer = talk.reply("kim", f"{code}e")
    assert answer == f"Escalated #{code} HighErrorRate to the next level"
    talk.expect_sms("choi", "HighErrorRate")  # now, not 15 minutes from now
    talk.expect_call("choi")
    assert ("escalate_requested", "sms", "to level 2") in talk.timeline(alert)


def test_code_n_and_y_are_votes_for_the_auditor(talk: Conversation):
    alert = talk.page("HighErrorRate")
    code = reply_code(talk.expect_sms("kim", "HighErrorRate"))
    talk.expect_call("kim")
    assert talk.reply("kim", f"{code}n") == f"Noted #{code} HighErrorRate as not actionable, thanks"
    assert talk.reply("kim", f"{code}y") == f"Noted #{code} HighErrorRate as actionable"
    votes = [(kind, detail) for kind, _channel, detail in talk.timeline(alert) if kind == "vote"]
    assert votes == [("vote", "noise"), ("vote", "actionable")]
    assert talk.status(alert) == "triggered"  # a vote is not an acknowledgement
    talk.advance(minutes=16)
    talk.expect_sms("choi", "HighErrorRate")


def test_help_answers_the_grammar(talk: Conversation):
    alert = talk.page("HighErrorRate")
    talk.expect_sms("kim", "HighErrorRate")
    talk.expect_call("kim")
    assert talk.reply("kim", "help").startswith("Reply 12a ack, 12r resolve, 12e escalate")
    assert talk.status(alert) == "triggered"


def test_key_2_resolves(talk: Conversation):
    alert = talk.page("HighErrorRate")
    talk.expect_sms("kim", "HighErrorRate")
    said = talk.press(talk.expect_call("kim"), "2")
    assert said[-1] == f"Resolved alert {alert}. Goodbye."
    assert talk.status(alert) == "resolved"
    talk.advance(minutes=31)
    talk.expect_no_page("choi")


def test_key_3_escalates_to_the_team_lead(talk: Conversation):
    alert = talk.page("HighErrorRate")
    talk.expect_sms("kim", "HighErrorRate")
    said = talk.press(talk.expect_call("kim"), "3")
    assert said[-1] == f"Escalated alert {alert}. Goodbye."
    talk.expect_sms("choi", "HighErrorRate")
    talk.expect_call("choi")
    assert ("escalate_requested", "voice", "to level 2") in talk.timeline(alert)


def test_key_9_votes_not_actionable(talk: Conversation):
    alert = talk.page("HighErrorRate")
    talk.expect_sms("kim", "HighErrorRate")
    said = talk.press(talk.expect_call("kim"), "9")
    assert said[-1] == f"Recorded as not actionable alert {alert}. Goodbye."
    assert ("vote", "voice", "noise") in talk.timeline(alert)
    assert talk.status(alert) == "triggered"


def test_star_repeats_the_alert_then_1_acknowledges(talk: Conversation):
    alert = talk.page("HighErrorRate", summary="error rate 45%")
    talk.expect_sms("kim", "HighErrorRate")
    call = talk.expect_call("kim")
    said = talk.press(call, "*1")
    spoken = f"Severity 1 alert {alert}. High Error Rate on payments. error rate 45%."
    answered, after_star, _after_1 = call.documents
    assert spoken in answered and spoken in after_star  # * says it all again, and waits for a key
    assert said[-1] == f"Acknowledged alert {alert}. Goodbye."
    assert talk.status(alert) == "acknowledged"
