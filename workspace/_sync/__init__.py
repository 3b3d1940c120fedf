"""The synchronous client, generated from `workspace._async` by scripts/unasync.py."""
