"""Partners of the API: their tokens, made and revoked by the desk in the admin."""
