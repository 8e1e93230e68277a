"""Terms, congresses, elections, committees and resolutions (issues 3 to 5)."""
