"""Pure logic: no Flask, no SQLAlchemy. Time and randomness are passed in."""
