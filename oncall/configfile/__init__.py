"""The configuration file: read and check `oncall.yaml`, and keep the live copy of it.

    config = load_config("config/oncall.yaml")           # raises ConfigError on errors
    config, problems = check_config(text, "oncall.yaml")  # never raises for bad input

It sits above both `oncall.config` (the model and the YAML section readers) and
`oncall.schedule` (the coverage-gap warnings need the schedule maths).
"""

from oncall.configfile.loader import check_config, load_config, read_config_file
from oncall.configfile.store import ConfigStore

__all__ = ["ConfigStore", "check_config", "load_config", "read_config_file"]
