"""Values that apply when a field is left out, shared by the wire models and the inputs."""

# The user OBProxy connects to an OceanBase cluster as, unless a link names another.
DEFAULT_PROXY_USERNAME = "proxyro"
