"""Maintenance windows: planned work whose alerts are stored and shown but page nobody."""
