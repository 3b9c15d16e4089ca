"""Users' roles, their scope over the registry, and API tokens."""
