"""Tells the api which allow-listed images the engine has, and how an image build is going.

The api never talks to Docker: the watcher calls `report` every few seconds while it leads,
and the settings and notebooks pages read the result from Redis (engine_images.py). The
build's progress is the file scripts/build-images.sh keeps up to date (its path is
WORKSPACE_BUILD_STATUS_FILE there, `Settings.image_build_file` here).
"""

from __future__ import annotations

import json
import logging

import aiodocker
from pydantic import ValidationError

from app.models.site_setting import ImageBuild
from app.services.admin.settings import effective
from app.services.notebooks import engine_images
from worker.context import WorkerContext

log = logging.getLogger(__name__)
EVERY_SECONDS = 3.0


def read_build(wc: WorkerContext) -> list[ImageBuild]:
    try:
        data = json.loads(wc.settings.image_build_file.read_text())
        return [ImageBuild.model_validate(data)]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, ValidationError) as exc:
        log.debug("unreadable image build status: %s", exc)
        return []


async def present(docker: aiodocker.Docker, image: str) -> bool:
    try:
        await docker.images.inspect(image)
    except aiodocker.DockerError as exc:
        if exc.status == 404:
            return False
        raise
    return True


async def report(wc: WorkerContext) -> None:
    async with wc.sessionmaker() as db:
        choices = (await effective(db, wc.settings)).notebook_images
    found = {c.image: await present(wc.docker.docker, c.image) for c in choices}
    await engine_images.report(wc.redis, found, read_build(wc))
