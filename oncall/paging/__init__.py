"""Paging: what an SMS or a call says, how replies are read, and who sends them.

Core (no Flask, SQLAlchemy or Twilio): `messages`, `replies`, `voice_script`, `providers`,
`redact`. Adapters that import the Twilio SDK: `voice` (TwiML), `twilio_provider`,
`signature`. Nothing is imported here, so importing the core never pulls in Twilio.
"""
