"""What the shop owner sees: the tray icon and its menu, the dialogs and windows, icons, notifications."""
