"""Entry script of ``kassasync.exe`` (console): the same as the ``kassasync`` console script.

The installer also uses it to ask a running agent to quit before files are replaced.
"""

import sys

from kassasync.cli import main

if __name__ == "__main__":
    sys.exit(main())
