"""``python -m ccsim.cli``: the same as ``python -m ccsim``."""

from ccsim.cli import main

raise SystemExit(main())
