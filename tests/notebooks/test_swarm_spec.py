"""A notebook overlay's addresses under Swarm (pure logic): Swarm hands out the lower half of
its /24, the api and the worker join at the upper half, and the pool must hold a /24."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest
from pydantic import ValidationError

from app.core.config import Settings
from worker.runtime.swarm_spec import reach_addresses, subnet_of, with_subnet


def test_swarm_hands_out_the_lower_half_and_the_upper_half_is_for_joining() -> None:
    subnet = IPv4Network("10.128.7.0/24")
    spec = with_subnet({"Name": "n", "Labels": {"a": "b"}}, subnet)
    (config,) = spec["IPAM"]["Config"]
    assert config == {"Subnet": "10.128.7.0/24", "IPRange": "10.128.7.0/25"}
    assert spec["Labels"] == {"a": "b"}
    ours = reach_addresses(subnet)
    assert ours[0] == IPv4Address("10.128.7.129") and ours[-1] == IPv4Address("10.128.7.254")
    assert not any(address in IPv4Network(config["IPRange"]) for address in ours)
    assert subnet_of(spec) == subnet


def test_a_network_without_an_ipv4_subnet_of_ours_has_none() -> None:
    assert subnet_of({"IPAM": {"Config": [{"Subnet": "fd00::/64"}]}}) is None
    assert subnet_of({"IPAM": {"Config": [{}]}}) is None
    assert subnet_of({}) is None


@pytest.mark.parametrize("pool", ["10.128.0.0/25", "not a network", "fd00::/48"])
def test_a_pool_that_holds_no_24_is_refused_by_name(pool: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(swarm_subnets=pool)
    assert refused.value.errors()[0]["loc"] == ("swarm_subnets",)
