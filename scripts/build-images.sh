#!/usr/bin/env bash
# Build the WorkSpace container images.
#
#   scripts/build-images.sh                 # base (if missing), jupyter, testnb
#   scripts/build-images.sh jupyter         # only some of: base jupyter testnb app
#   scripts/build-images.sh --rebuild-base  # re-debootstrap and re-import the base
#
# Images (all labelled workspace.image=1):
#   workspace/base:bookworm   Debian 12 minbase + python3, python3-venv, ca-certificates,
#                             made with debootstrap + `docker import` (no registry needed)
#   workspace/jupyter:latest  JupyterLab, from images/jupyter/
#   workspace/testnb:latest   fake Jupyter server for lifecycle tests, from images/testnb/
#   workspace/app:latest      the api and worker, from ./Dockerfile (compose.yaml's image; only
#                             when asked for: the dashboard is built on the host first)
#
# Environment:
#   WORKSPACE_BASE_IMAGE   BASE_IMAGE build arg for jupyter/testnb
#                          (default workspace/base:bookworm; e.g. python:3.12-slim
#                          where a registry is reachable: then no debootstrap happens)
#   WORKSPACE_CACHE_DIR    cache for the debootstrap rootfs tarball
#                          (default ${XDG_CACHE_HOME:-$HOME/.cache}/workspace)
#   WORKSPACE_DEBIAN_MIRROR  Debian mirror for debootstrap (default: the one apt uses)
#   WORKSPACE_CA_BUNDLE    CA bundle handed to pip in the builder stage only
#                          (default /etc/ssl/certs/ca-certificates.crt; "none" to skip)
#   WORKSPACE_BUILD_NETWORK  `docker build --network` value (default host)
#   WORKSPACE_BASE_TAG / WORKSPACE_JUPYTER_TAG / WORKSPACE_TESTNB_TAG / WORKSPACE_APP_TAG
#                          override the image names
#   WORKSPACE_BUILD_STATUS_FILE  where to keep the build's progress as JSON
#                          ({"image", "state", "step", "total", "detail", "updated_at"});
#                          the worker reads it and the dashboard shows it (unset: none)
#
# Idempotent: the base is skipped when the image exists, and docker's layer
# cache makes an unchanged rebuild take seconds.
set -euo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGES_DIR="$ROOT_DIR/images"

BASE_TAG=${WORKSPACE_BASE_TAG:-workspace/base:bookworm}
BASE_IMAGE=${WORKSPACE_BASE_IMAGE:-$BASE_TAG}
JUPYTER_TAG=${WORKSPACE_JUPYTER_TAG:-workspace/jupyter:latest}
TESTNB_TAG=${WORKSPACE_TESTNB_TAG:-workspace/testnb:latest}
APP_TAG=${WORKSPACE_APP_TAG:-workspace/app:latest}
CACHE_DIR=${WORKSPACE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/workspace}
CA_BUNDLE=${WORKSPACE_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
BUILD_NETWORK=${WORKSPACE_BUILD_NETWORK:-host}
SUITE=bookworm
ROOTFS_TAR="$CACHE_DIR/rootfs-$SUITE-minbase.tar"

log() { printf '[build-images +%ss] %s\n' "$SECONDS" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- progress
STATUS_FILE=${WORKSPACE_BUILD_STATUS_FILE:-}
CURRENT_IMAGE=""
json_text() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' | tr -d '\000-\037'; }
# status STATE [STEP TOTAL [DETAIL]]: written to a temporary file, then renamed, so a reader
# never sees half of it.
status() {
    [ -n "$STATUS_FILE" ] && [ -n "$CURRENT_IMAGE" ] || return 0
    local state=$1 step=${2:-null} total=${3:-null} detail=${4:-}
    mkdir -p "$(dirname "$STATUS_FILE")"
    printf '{"image": "%s", "state": "%s", "step": %s, "total": %s, "detail": "%s", "updated_at": "%s"}\n' \
        "$(json_text "$CURRENT_IMAGE")" "$state" "$step" "$total" "$(json_text "${detail:0:200}")" \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$STATUS_FILE.tmp"
    mv -f "$STATUS_FILE.tmp" "$STATUS_FILE"
}
WORK_TO_REMOVE=""
on_exit() {
    local code=$?
    if [ -n "$WORK_TO_REMOVE" ]; then rm -rf "$WORK_TO_REMOVE"; fi
    if [ "$code" -ne 0 ]; then status failed null null "exit code $code (see the build log)"; fi
}
trap on_exit EXIT
# Reads `docker build` output, passes it on, and records "Step 3/7" (classic builder) or
# "[stage 3/7]" (BuildKit) as the build's progress.
track_steps() {
    local line step total
    while IFS= read -r line; do
        printf '%s\n' "$line"
        if [[ $line =~ ^Step\ ([0-9]+)/([0-9]+)\ :\ (.*)$ ]] \
            || [[ $line =~ ^\#[0-9]+\ \[[^]]*\ ?([0-9]+)/([0-9]+)\]\ (.*)$ ]]; then
            step=${BASH_REMATCH[1]} total=${BASH_REMATCH[2]}
            status building "$step" "$total" "${BASH_REMATCH[3]}"
        fi
    done
}

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

# ---------------------------------------------------------------- arguments
REBUILD_BASE=0
targets=()
for arg in "$@"; do
    case "$arg" in
        base|jupyter|testnb|app) targets+=("$arg") ;;
        all) targets+=(base jupyter testnb) ;;
        --rebuild-base) REBUILD_BASE=1 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $arg" ;;
    esac
done
if [ "${#targets[@]}" -eq 0 ]; then
    if [ "$REBUILD_BASE" = 1 ]; then targets=(base); else targets=(base jupyter testnb); fi
fi
want() { local t; for t in "${targets[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }
if [ "$REBUILD_BASE" = 1 ] && ! want base; then targets=(base "${targets[@]}"); fi

command -v docker >/dev/null || die "docker CLI not found"
docker info >/dev/null 2>&1 || die "cannot reach the Docker engine (is dockerd running?)"

# docker >= 23 CLIs error out under DOCKER_BUILDKIT=1 when the buildx plugin is
# missing; the Dockerfiles work with both builders, so use the legacy one then.
if ! docker buildx version >/dev/null 2>&1; then
    export DOCKER_BUILDKIT=0
fi

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------- base image
debian_mirror() {
    if [ -n "${WORKSPACE_DEBIAN_MIRROR:-}" ]; then
        echo "$WORKSPACE_DEBIAN_MIRROR"; return
    fi
    local f uri
    # deb822 sources (URIs: ...) and one-line sources (deb URI suite ...).
    for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        uri=$(awk '
            /^[[:space:]]*URIs:/ { for (i = 2; i <= NF; i++) print $i }
            /^[[:space:]]*deb[[:space:]]/ { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; break } }
        ' "$f" | grep -E '^https?://' | grep -E '/debian/?$' | head -n1 || true)
        if [ -n "$uri" ]; then echo "${uri%/}"; return; fi
    done
    echo "http://deb.debian.org/debian"
}

make_rootfs_tar() {
    command -v debootstrap >/dev/null || die "debootstrap not installed (apt-get install debootstrap)"
    [ "$(id -u)" = 0 ] || die "debootstrap needs root"
    local mirror work
    mirror=$(debian_mirror)
    mkdir -p "$CACHE_DIR"
    work=$(mktemp -d "$CACHE_DIR/debootstrap.XXXXXX")
    WORK_TO_REMOVE=$work
    log "debootstrap $SUITE (minbase) from $mirror (about a minute)"
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
        "$SUITE" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
    # Slim down and drop host-specific files (docker provides resolv.conf/hosts).
    rm -rf "$work/rootfs"/var/lib/apt/lists/* "$work/rootfs"/var/cache/apt/*.bin \
           "$work/rootfs"/var/cache/apt/archives/*.deb "$work/rootfs"/var/log/* \
           "$work/rootfs"/tmp/* "$work/rootfs"/debootstrap
    : >"$work/rootfs/etc/resolv.conf"
    printf '127.0.0.1\tlocalhost\n' >"$work/rootfs/etc/hosts"
    echo "workspace" >"$work/rootfs/etc/hostname"
    tar --numeric-owner --xattrs -C "$work/rootfs" -cf "$work/rootfs.tar" .
    mv -f "$work/rootfs.tar" "$ROOTFS_TAR"
    rm -rf "$work"
    WORK_TO_REMOVE=""
    log "cached rootfs at $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1))"
}

build_base() {
    if [ "$REBUILD_BASE" = 1 ]; then
        rm -f "$ROOTFS_TAR"
    elif image_exists "$BASE_TAG"; then
        log "$BASE_TAG exists, skipping"
        return
    fi
    [ -s "$ROOTFS_TAR" ] || { status preparing null null "debootstrap of the base image"; make_rootfs_tar; }
    status preparing null null "importing the base image"
    log "importing $ROOTFS_TAR as $BASE_TAG"
    docker import \
        --change 'LABEL workspace.image=1 workspace.image.kind=base' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["/bin/bash"]' \
        --message "debootstrap --variant=minbase $SUITE" \
        - "$BASE_TAG" <"$ROOTFS_TAR" >/dev/null
}

ensure_base_for_build() {
    # Only the local base is ours to make; any other BASE_IMAGE must already
    # exist or be pullable by `docker build` itself.
    if [ "$BASE_IMAGE" = "$BASE_TAG" ] && ! image_exists "$BASE_TAG"; then
        build_base
    fi
}

# ---------------------------------------------------------------- images
# A build context is streamed as a tar: the image's files plus, when the CA bundle exists,
# that bundle as build-ca.crt. Only builder stages read it; final stages never COPY it.
ca_tar_args() {
    if [ "$CA_BUNDLE" != none ] && [ -s "$CA_BUNDLE" ]; then
        printf '%s\0' -C "$(dirname "$CA_BUNDLE")" \
            --transform "s|^$(basename "$CA_BUNDLE")\$|build-ca.crt|" "$(basename "$CA_BUNDLE")"
    fi
}

# build_from_tar TAG DESCRIPTION [BUILD-ARG...]: builds the context tar on stdin as TAG.
build_from_tar() {
    local tag=$1 what=$2 arg build_args=()
    shift 2
    for arg in "$@"; do build_args+=(--build-arg "$arg"); done
    local old_id
    old_id=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
    log "building $tag from $what ($*)"
    docker build \
        --force-rm \
        --network "$BUILD_NETWORK" \
        "${build_args[@]}" \
        --label workspace.image=1 \
        -t "$tag" - 2>&1 | track_steps
    status done
    # Drop the image this build superseded, if nothing else uses it (a
    # container or a child image makes `docker rmi` refuse: that is fine).
    local new_id
    new_id=$(docker image inspect -f '{{.Id}}' "$tag")
    if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
        docker rmi "$old_id" >/dev/null 2>&1 || true
    fi
}

build_dir_image() {
    local name=$1 tag=$2 dir="$IMAGES_DIR/$1" ca_args
    [ -f "$dir/Dockerfile" ] || die "missing $dir/Dockerfile"
    CURRENT_IMAGE=$tag
    status preparing
    ensure_base_for_build
    mapfile -d '' ca_args < <(ca_tar_args)
    tar --owner=0 --group=0 --numeric-owner --dereference \
        --exclude=build-ca.crt --exclude='__pycache__' --exclude='*.pyc' \
        -cf - -C "$dir" . "${ca_args[@]}" \
    | build_from_tar "$tag" "images/$name" "BASE_IMAGE=$BASE_IMAGE"
}

# The api and worker image, from the repository's own Dockerfile. The dashboard is built
# here (no node image needed), so the context carries web/dist and no node_modules.
build_app_image() {
    local ca_args
    CURRENT_IMAGE=$APP_TAG
    status preparing null null "building the dashboard"
    "$ROOT_DIR/scripts/prepare-assets.sh" >&2
    ensure_base_for_build
    mapfile -d '' ca_args < <(ca_tar_args)
    tar --owner=0 --group=0 --numeric-owner \
        --exclude='__pycache__' --exclude='*.pyc' --exclude=web/node_modules \
        -cf - -C "$ROOT_DIR" Dockerfile pyproject.toml uv.lock README.md alembic.ini \
        alembic app worker workspace web "${ca_args[@]}" \
    | build_from_tar "$APP_TAG" "./Dockerfile" \
        "PYTHON_IMAGE=$BASE_IMAGE" "NODE_IMAGE=$BASE_IMAGE" WEB_DIST=context
}

# ---------------------------------------------------------------- main
mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/build-images.lock"
flock 9   # one build at a time on this machine (tests may call us in parallel)

want base && build_base
want jupyter && build_dir_image jupyter "$JUPYTER_TAG"
want testnb && build_dir_image testnb "$TESTNB_TAG"
want app && build_app_image
log "done"
