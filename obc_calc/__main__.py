import sys

from obc_calc.cli import main

sys.exit(main())
