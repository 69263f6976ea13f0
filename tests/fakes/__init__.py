"""Fakes of the outside world for tests: a Twilio REST API on loopback, and helpers."""
