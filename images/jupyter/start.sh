#!/bin/sh
# Entrypoint of workspace/jupyter: start JupyterLab from environment settings.
#   JUPYTER_TOKEN     required; read natively by Jupyter Server (never put on argv)
#   JUPYTER_BASE_URL  path prefix the workspace proxies under, default "/"
# Extra arguments are passed on to `jupyter lab`.
set -eu

if [ -z "${JUPYTER_TOKEN:-}" ]; then
    echo "start-notebook: JUPYTER_TOKEN must be set to a non-empty value" >&2
    exit 64
fi

base_url=${JUPYTER_BASE_URL:-/}
case "$base_url" in /*) ;; *) base_url="/$base_url" ;; esac
case "$base_url" in */) ;; *) base_url="$base_url/" ;; esac

mkdir -p "${JUPYTER_RUNTIME_DIR:-/tmp/jupyter-runtime}"

# exec: jupyter becomes PID 1 and gets SIGTERM from `docker stop` directly.
exec jupyter lab \
    --no-browser \
    --ServerApp.ip=0.0.0.0 \
    --ServerApp.port=8888 \
    --ServerApp.port_retries=0 \
    --ServerApp.base_url="$base_url" \
    --ServerApp.root_dir=/home/jovyan/work \
    --ServerApp.trust_xheaders=True \
    --ServerApp.allow_remote_access=True \
    --LabApp.extension_manager=readonly \
    "$@"
