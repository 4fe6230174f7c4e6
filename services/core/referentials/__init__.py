"""Reference data shared by every service (INSEE geography)."""
