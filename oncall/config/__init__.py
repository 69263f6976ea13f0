"""The configuration as plain data (`model`) and how each YAML section maps onto it.

Loading, checking and watching the file (checks that need schedule maths included) is
`oncall.configfile`, one layer up.
"""

from oncall.config.model import Config, Problem
from oncall.config.problems import ConfigError

__all__ = ["Config", "ConfigError", "Problem"]
