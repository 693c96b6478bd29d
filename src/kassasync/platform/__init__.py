"""What the agent needs of the system: autostart, one instance, opening a folder, the support bundle."""
