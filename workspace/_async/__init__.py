"""The asynchronous client; `workspace._sync` is generated from it (scripts/unasync.py)."""
