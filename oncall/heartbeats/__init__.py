"""Heartbeats: a signal that must keep arriving; its silence opens an alert and pages someone."""
