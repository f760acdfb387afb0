"""Admin pages: users, roles, disabling accounts, reset links, the audit log."""
