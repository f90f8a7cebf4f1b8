"""`python -m webhook_inspector` runs the command line."""

from __future__ import annotations

import sys

from webhook_inspector.cli import main

sys.exit(main())
