"""Huawei VRP: the driver (driver.py), parser, IPsec keyword tables and the review
config-text hooks. Templates: templates/huawei_vrp/."""
