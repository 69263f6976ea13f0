"""The alert auditor (docs/auditor.md): scores every alert rule on how often its pages led to human
action, demotes the noisy ones, and reports.

Pure core (no database, no web):
  events.py    the input: AlertEvent and the JSON-lines format
  episodes.py  events folded into episodes, one pass
  labels.py    each page labelled actionable / noise / unlabelled, with a weight
  counts.py    per-rule counts over the window
  scoring.py   Beta-Binomial posterior with decay, Wilson interval
  decide.py    demote / re-promote / hold with hysteresis; tune suggestions
  load.py      on-call load per person against the budget
  audit.py     build_report: events in, ranked Report out
  report.py    the Report tree and its JSON / CSV / terminal renderings
  html.py      the /audit page body with inline SVG charts
  patch.py     the unified diff for the team's Prometheus rules files

Adapters: models.py (tables), state.py (decision memory), importer.py (`audit import`),
flows.py (a run with side effects), jobs.py (the daily APScheduler job), cli.py.
"""
