"""The web UI: server-rendered pages for people at a desk and on a phone at 3 AM."""
