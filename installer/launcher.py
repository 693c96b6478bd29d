"""Entry script of ``kassasync-tray.exe`` (windowed): the same as the ``kassasync-tray`` gui script.

PyInstaller freezes a script, not an entry point, so this file stands in for the one pip would generate.
"""

from kassasync.cli import tray_main

if __name__ == "__main__":
    tray_main()
