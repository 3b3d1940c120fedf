"""Backup and restore of a whole installation: its database and its notebook volumes.

Server-side operations (`workspace admin backup DIR`, `workspace admin restore DIR`): they run
on the server's machine with the server's own settings, and talk to the database and the
Docker engine directly. A backup is a directory: `manifest.json` (written last, so a backup
without it is incomplete), the database (`database.sqlite3` or `database.pgdump`) and a tar
file per notebook volume under `volumes/`. Post images are rows of the database, so the
database holds every uploaded file.
"""
