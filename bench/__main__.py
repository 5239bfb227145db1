"""`python -m bench --records N --workers W --latency-ms L`: see bench/harness.py."""

import sys

from bench.harness import main

sys.exit(main())
