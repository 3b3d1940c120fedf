"""The api application factory (`uvicorn --factory app.main:create_app`)."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api.body_limit import BodyLimit, BodyLimits
from app.api.nul_guard import NulGuard
from app.api.request_metrics import RequestMetrics
from app.api.router import api_router, operation_id
from app.api.routes import metrics
from app.api.security_headers import SecurityHeaders
from app.blog_site.router import site_router
from app.core import datadir
from app.core.config import Settings, get_settings
from app.core.db import Timeouts, make_engine, make_sessionmaker
from app.core.errors import install_error_handlers
from app.core.logs import configure as configure_logging
from app.core.metrics import process_exited
from app.core.queue import make_queue
from app.core.redis import make_redis
from app.dashboard import DEFAULT_DIST, mount_dashboard
from app.live.hub import EventHub
from app.live.limits import ConnectionLimits
from app.live.revocation import CredentialId, Revocations
from app.proxy.mount import NotebookProxyMount
from app.proxy.notebook_proxy import NotebookProxy
from app.services.accounts import sessions
from app.services.accounts.users import (
    ensure_first_admin,
    ensure_initial_admin,
    initial_password_file,
)

log = logging.getLogger("workspace")


async def _still_valid(
    sessionmaker: async_sessionmaker[AsyncSession], credentials: list[CredentialId]
) -> set[CredentialId]:
    async with sessionmaker() as db:
        return await sessions.still_valid(db, credentials)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        datadir.secure(settings.data_dir)
        engine = make_engine(
            settings.sqlalchemy_url, timeouts=Timeouts.of(settings), name="workspace-api"
        )
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        app.state.redis = make_redis(settings.redis_url)
        app.state.queue = make_queue(settings.redis_url)
        app.state.event_hub = EventHub(
            app.state.redis, Revocations(verify=partial(_still_valid, app.state.sessionmaker))
        )
        app.state.event_hub.start()
        app.state.connection_limits = ConnectionLimits(app.state.redis)
        app.state.connection_limits.start()
        app.state.proxy = NotebookProxy(
            settings,
            app.state.sessionmaker,
            app.state.event_hub.revocations,
            app.state.connection_limits,
            app.state.redis,
        )
        admin_password = settings.admin_password
        async with app.state.sessionmaker() as db:
            if await ensure_first_admin(
                db,
                settings.admin_username,
                admin_password.get_secret_value() if admin_password else None,
            ):
                log.info("created the first admin %r", settings.admin_username)
            elif (
                settings.environment == "development"
                and not settings.admin_username
                and await ensure_initial_admin(db, settings.data_dir)
            ):
                log.warning(
                    "first run: sign in as 'admin' with the password in %s",
                    initial_password_file(settings.data_dir),
                )
        try:
            yield
        finally:
            await app.state.proxy.aclose()
            await app.state.connection_limits.stop()
            await app.state.event_hub.stop()
            await app.state.queue.aclose()
            await app.state.redis.aclose()
            await engine.dispose()
            process_exited(os.getpid())

    # FastAPIOffline serves the /docs and /redoc assets itself: no CDN, works offline.
    app = FastAPIOffline(
        title="WorkSpace",
        summary="A backend developer's daily tools in one place.",
        version="0.1.0",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(api_router)
    app.include_router(site_router)  # the public blog: /blog, /sitemap.xml, /robots.txt
    app.include_router(metrics.router)
    # Notebook origins go to the proxy, ahead of FastAPI's routing (hot path); so does the
    # dashboard's hand-off (/notebooks/{id}/...).
    app.add_middleware(NotebookProxyMount, settings=settings)
    app.add_middleware(NulGuard)
    # Bodies are bounded before anything (the proxy, the NUL scan, FastAPI) reads them.
    app.add_middleware(BodyLimit, limits=BodyLimits.of(settings))
    app.add_middleware(SecurityHeaders, settings=settings)  # on every answer, 413s too
    app.add_middleware(RequestMetrics)  # outermost: times the proxy's requests too
    mount_dashboard(app, DEFAULT_DIST)  # the web UI at /, after every backend route
    return app
