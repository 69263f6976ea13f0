"""Moving in from another tool: a vendor's schedules, escalations and users → our YAML.

`pagerduty`, `opsgenie` and `grafana_oncall` read the JSON bodies of the vendor's REST API into
a neutral `Plan` (and each evaluates the vendor's own schedule definition, for the check);
`recognise` tells a file's kind from its keys, `fetch` gets the bodies over HTTP, `yaml_out`
writes the plan as commented YAML and `verify` compares the result with the vendor's schedule.
"""
