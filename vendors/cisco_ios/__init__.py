"""Cisco IOS / IOS-XE: the driver (driver.py), parser, IPsec keyword tables and the
review config-text hooks. Templates: templates/cisco_ios/."""
