import sys

from kassasync.cli import main

sys.exit(main())
