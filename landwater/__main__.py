from landwater.cli import main
import sys
sys.exit(main())
