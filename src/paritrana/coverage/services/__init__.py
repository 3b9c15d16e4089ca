"""The coverage use cases."""
