"""PersonaKit's own API, as the product's existing clients call it (``/personakit/``).

Same services, same API keys and owner isolation as ``/api/v1/personakit/``; only the paths
and the request and response shapes follow the product.
"""
