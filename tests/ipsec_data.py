"""The IPsec connection the IPsec model and render tests start from (Office 1 of the
VPN + CEN example, route-based), so both suites test the same baseline."""

PSK_ENV = "ALIYUN_PSK_OFFICE1"

CONNECTION: dict = {
    "name": "office1",
    "gateway_ip": "5.5.5.5",
    "customer_gateway_ip": "1.1.1.1",
    "outside_interface": {"cisco_ios": "GigabitEthernet0/0/0",
                          "huawei_vrp": "GigabitEthernet0/0/8", "junos": "ge-0/0/0.0"},
    "local_networks": ["10.10.10.0/24"],
    "cloud_networks": ["172.16.0.0/16"],
    "psk": {"env": PSK_ENV},
    "routing": {"mode": "route-based",
                "tunnel_interface": {"cisco_ios": "Tunnel1", "huawei_vrp": "Tunnel0/0/1",
                                     "junos": "st0.1"},
                "tunnel_cidr": "169.254.10.0/30"},
}
