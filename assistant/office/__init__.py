"""What an office deployment keeps in the home folder besides the knowledge: accounts and roles, the audit trail,
saved conversations and reviewed feedback. Plain SQLite (and one JSON Lines file), no web framework here.
"""
