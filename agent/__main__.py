"""`python -m agent` runs the CLI."""

import sys

from agent.cli import main

sys.exit(main())
