"""The regional programmes use cases; each public function is one transaction."""
