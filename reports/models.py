"""Reports keep no models of their own yet (export jobs arrive with issue 7)."""
