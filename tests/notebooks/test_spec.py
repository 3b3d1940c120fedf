"""What a notebook looks like in Docker (pure): limits, names, network and ports."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.config import Settings
from app.core.notebook_origin import new_key
from app.models.notebook import Notebook
from worker.spec import (
    bridge_name,
    container_spec,
    holder_spec,
    nano_cpus,
    network_spec,
    resource_name,
)


def notebook(**fields: Any) -> Notebook:
    values: dict[str, Any] = {
        "id": 3,
        "owner_id": 1,
        "name": "nb",
        "image": "workspace/testnb:latest",
        "cpus": 0.5,
        "memory_mb": 256,
        "idle_timeout_minutes": 0,
        "jupyter_token": "t",
    }
    return Notebook(**(values | fields))


@pytest.mark.parametrize(
    ("cpus", "nano"), [(1e-10, 100_000_000), (0.1, 100_000_000), (1.5, 1_500_000_000)]
)
def test_the_cpu_quota_is_never_zero(cpus: float, nano: int) -> None:
    # A row stored before the minimum existed still gets a real limit.
    assert nano_cpus(cpus) == nano
    assert container_spec(notebook(cpus=cpus), Settings())["HostConfig"]["NanoCpus"] == nano


@pytest.mark.parametrize("egress", [True, False])
def test_each_notebook_has_its_own_network_and_publishes_only_on_loopback(egress: bool) -> None:
    settings = Settings(notebook_egress=egress)
    nb = notebook()
    spec = container_spec(nb, settings)
    network = network_spec(settings, nb.key)
    name = resource_name(settings, nb.key)
    assert spec["HostConfig"]["NetworkMode"] == network["Name"] == name
    assert network["Internal"] is not egress
    assert network["Labels"] == {
        "workspace.instance": settings.instance,
        "workspace.notebook_key": nb.key,
    }
    bindings = spec["HostConfig"].get("PortBindings")
    if egress:
        assert bindings == {"8888/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]}
    else:
        assert bindings is None  # an internal network publishes nothing
    assert spec["HostConfig"]["CapDrop"] == ["ALL"]


def test_names_come_from_the_key_never_the_id() -> None:
    first, second = notebook(id=3), notebook(id=3)
    assert first.key != second.key
    assert resource_name(Settings(), first.key) != resource_name(Settings(), second.key)
    assert resource_name(Settings(), first.key) == f"workspace-nb-{first.key}"
    assert len(bridge_name(new_key())) <= 15  # Linux's limit for an interface name


@pytest.mark.parametrize("egress", [True, False])
def test_a_notebook_joining_a_holder_keeps_its_config_and_the_holder_has_its_port(
    egress: bool,
) -> None:
    settings = Settings(notebook_egress=egress)
    nb = notebook()
    own, joined = container_spec(nb, settings), container_spec(nb, settings, holder="abc")
    assert joined["HostConfig"]["NetworkMode"] == "container:abc"
    assert "PortBindings" not in joined["HostConfig"] and "ExposedPorts" not in joined
    # Where the namespace came from is no change of configuration: nothing restarts for it.
    assert joined["Labels"] == own["Labels"]
    holder = holder_spec(settings, nb.key, "workspace/jupyter:latest")
    assert holder["HostConfig"]["NetworkMode"] == resource_name(settings, nb.key)
    assert holder["HostConfig"].get("PortBindings") == own["HostConfig"].get("PortBindings")
    assert holder["Labels"] == {
        "workspace.instance": settings.instance,
        "workspace.holds_network_of": nb.key,
    }
    assert holder["User"] == "65534:65534" and holder["HostConfig"]["CapDrop"] == ["ALL"]
    assert holder["HostConfig"]["ReadonlyRootfs"] is True
    assert holder["Healthcheck"] == {"Test": ["NONE"]}
