"""Administration: users, every notebook, site settings and the audit log (admins only)."""
