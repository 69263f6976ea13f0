import sys

from oncall.cli.main import main

sys.exit(main())
