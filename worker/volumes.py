"""Notebooks made before keys: their files move from the id's volume to the key's.

Done by the worker at the notebook's next start (the migration cannot reach Docker, and a
stopped notebook's files are then copied while nothing writes to them): a one-off
container of the notebook's image copies `{instance}-nb-{id}` into `{instance}-nb-{key}`,
then the old volume is removed. The old volume is used only when its labels name this
instance and this id; a failed copy removes nothing and the next start tries again.
"""

from __future__ import annotations

from sqlmodel import col, update

from app.models.notebook import Notebook
from worker.context import WorkerContext
from worker.docker import ForeignResource, Refused
from worker.spec import (
    LABEL_INSTANCE,
    LEGACY_LABEL_ID,
    copy_spec,
    legacy_volume_name,
    resource_name,
)


async def carry_over_legacy_volume(
    wc: WorkerContext, notebook: Notebook, *, purge: bool = False
) -> None:
    """Copy the legacy volume's files into the notebook's own (or, with `purge`, only
    remove it), then record that the notebook has none left."""
    assert notebook.id is not None
    legacy = legacy_volume_name(wc.settings, notebook.id)
    found = await wc.docker.volume_labels(legacy)
    if found is not None:
        expected = {LABEL_INSTANCE: wc.settings.instance, LEGACY_LABEL_ID: str(notebook.id)}
        if any(found.get(k) != v for k, v in expected.items()):
            raise ForeignResource(
                f"volume {legacy} is labelled for another notebook; its files were not copied"
            )
        # The notebook's container from before keys still has it mounted.
        old = await wc.docker.find(legacy)
        if old is not None and all(
            wc.docker.container_labels(old).get(k) == v for k, v in expected.items()
        ):
            await wc.docker.stop_and_remove(old["Id"])
        if not purge:
            copier = f"{resource_name(wc.settings, notebook.key)}-copy"
            code = await wc.docker.run_to_end(copier, copy_spec(notebook, wc.settings, legacy))
            if code != 0:
                raise Refused(
                    f"copying the files of volume {legacy} failed (exit code {code}); "
                    "nothing was removed, the next start tries again"
                )
        await wc.docker.remove_volume(legacy)
    async with wc.sessionmaker() as db:
        await db.exec(
            update(Notebook).where(col(Notebook.id) == notebook.id).values(legacy_volume=False)
        )
        await db.commit()
    notebook.legacy_volume = False
