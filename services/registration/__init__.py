"""Registration of job seekers: identity checks and duplicate detection."""
