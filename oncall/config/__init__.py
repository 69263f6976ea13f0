"""The YAML configuration: the validated model, its loader and the live store."""

from oncall.config.loader import check_config, load_config
from oncall.config.model import Config, Problem
from oncall.config.problems import ConfigError

__all__ = ["Config", "ConfigError", "Problem", "check_config", "load_config"]
