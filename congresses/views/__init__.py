"""Pages of terms, congresses and committees, by noun (the calendar lives in calendar.py)."""
