"""`python -m oncall ...`: one argparse tree; each capability registers its own commands."""
