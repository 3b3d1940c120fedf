"""Running code inside a notebook's container, as the notebook's own user: what a person's
code (or a planted package) could do from there."""

from __future__ import annotations

import aiodocker

NOTEBOOK_USER = "1000:1000"


async def run_inside(docker: aiodocker.Docker, container_id: str, *cmd: str) -> tuple[int, str]:
    """`docker exec` as the notebook's user: (exit code, stdout and stderr)."""
    container = docker.containers.container(container_id)
    execution = await container.exec(list(cmd), user=NOTEBOOK_USER)
    output = b""
    async with execution.start(detach=False) as stream:
        while (message := await stream.read_out()) is not None:
            output += message.data
    code = (await execution.inspect())["ExitCode"]
    return int(code), output.decode(errors="replace")


async def python_inside(docker: aiodocker.Docker, container_id: str, code: str) -> str:
    """Run Python code inside the container; its output (it must exit 0)."""
    exit_code, output = await run_inside(docker, container_id, "python3", "-c", code)
    assert exit_code == 0, output
    return output


async def in_volume(
    docker: aiodocker.Docker, volume: str, script: str, *, image: str, instance: str
) -> str:
    """Run a shell script in a throwaway container with `volume` at the notebook's home,
    as the notebook's user; its output (it must exit 0)."""
    container = await docker.containers.create(
        {
            "Image": image,
            "Entrypoint": ["sh", "-c", script],
            "User": NOTEBOOK_USER,
            "Labels": {"workspace.instance": instance},
            "HostConfig": {
                "NetworkMode": "none",
                "Mounts": [{"Type": "volume", "Source": volume, "Target": "/home/jovyan/work"}],
            },
        }
    )
    try:
        await container.start()
        code = (await container.wait())["StatusCode"]
        output = "".join(await container.log(stdout=True, stderr=True))
    finally:
        await container.delete(force=True)
    assert code == 0, output
    return output
