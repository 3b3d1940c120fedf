"""Runtimes that run notebook servers behind one boundary (worker/runtime/base.py)."""
