"""Incidents: declare, roles, status updates, timeline, postmortem, action items and MTTx.

`service` is the one flow the API, the web pages, the CLI and SMS replies use; `status`,
`postmortem` and `mttx_math` are pure; `followups` is the port the paging side implements.
"""
