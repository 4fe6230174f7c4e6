"""The indicators' referentials: zoning files, the catalogue, and files derived from pinned npm packages (derive.py)."""
