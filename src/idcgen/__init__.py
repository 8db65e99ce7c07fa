"""idcgen: customer-side configs for Alibaba Cloud Express Connect and IPsec-VPN.

Kept import-free on purpose: `idcgen --version` and `idcgen lint` must start fast, so
heavy libraries (pydantic, jinja2) are imported only by the commands that need them.
"""

__version__ = "0.1.0"
