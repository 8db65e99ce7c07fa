"""Juniper Junos: the driver (driver.py), parser and statement reader, IPsec keyword
tables and the review config text. Templates: templates/junos/."""
