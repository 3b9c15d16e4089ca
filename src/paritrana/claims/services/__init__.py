"""The claims use cases; each public function is one transaction."""
