import sys

from landwater.cli import main

sys.exit(main())
