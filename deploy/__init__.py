"""Deployment of the platform: the service manifest and what is generated from it (`python -m deploy.generate`)."""
