"""The register's company file: the SQLite data contract shared with the cash register."""
