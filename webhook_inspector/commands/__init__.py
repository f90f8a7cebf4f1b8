"""Subcommand groups that cli.py registers (see cli.COMMAND_MODULES)."""
