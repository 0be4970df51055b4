#!/usr/bin/env bash
# A CI team's template workflow, end to end on one machine: build a VM template, version it, publish
# it to a registry, install it on a build host, then ship an update as a delta. Each step says why.
#
#   npm run build && bash examples/template-workflow.sh
#
# Sizes are settings: DISK_SIZE (apparent, sparse), DATA (files in the image), CHANGE (the update).
# KEEP=1 keeps the work folder. Needs e2fsprogs (the VM generator makes a real ext4 disk).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DISK_SIZE=${DISK_SIZE:-2G}
DATA=${DATA:-150M}
CHANGE=${CHANGE:-30M}
ankagit() { node "$ROOT/dist/cli/ankagit.js" "$@"; }
# Started with & : exec makes $! the daemon itself (not a subshell around it), so the cleanup's kill stops it.
ankagit_daemon() { exec node "$ROOT/dist/cli/ankagit.js" daemon "$@"; }
# The VM generator of the tests and benchmarks (bench/corpus/README.md): real files in a real filesystem.
corpus() { node "$ROOT/dist/bench/corpus/cli.js" "$@" > /dev/null; }
step() { printf '\n== %s\n' "$*"; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ankagit-template.XXXXXX")"
DAEMON=""
cleanup() {
  if [[ -n $DAEMON ]]; then kill "$DAEMON" 2> /dev/null || true; wait "$DAEMON" 2> /dev/null || true; fi
  if [[ ${KEEP:-} == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
TEMPLATE="$WORK/templates/macos-runner"
HOST="$WORK/build-host"

step "build the template: a $DISK_SIZE sparse disk with $DATA of files, a config and NVRAM"
corpus make-vm "$TEMPLATE" --disk-size "$DISK_SIZE" --data "$DATA" --seed 1
cd "$TEMPLATE"
# The VM files stay where the hypervisor expects them; ankagit keeps its data in .ankagit/.
ankagit init
# A fixed identity, as a CI job would set it (otherwise: user.name in .ankagit/config, or the login).
export ANKAGIT_AUTHOR_NAME="CI templates" ANKAGIT_AUTHOR_EMAIL="ci@example.com"

step "version it: commit, then tag the release build hosts will ask for"
# Holes in the sparse disk are recorded, not stored: the commit costs the data, not the disk size.
ankagit commit -m "macOS 15.1 base"
ankagit tag v15.1

step "start a registry: one object store for every VM it serves"
# Port 0 picks a free port; the daemon prints exactly one line when it is ready.
ankagit_daemon --root "$WORK/registry" --listen 127.0.0.1:0 > "$WORK/daemon.out" 2> "$WORK/daemon.err" &
DAEMON=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$WORK/daemon.out" 2> /dev/null && break; sleep 0.1; done
REGISTRY=$(sed -n 's/^listening on //p' "$WORK/daemon.out")
[[ -n $REGISTRY ]] || { echo "the daemon did not start: $(cat "$WORK/daemon.err")" >&2; exit 1; }
echo "registry at $REGISTRY"

step "publish: push the branch and its tags"
ankagit remote add origin "$REGISTRY/macos-runner"
# The registry is asked which chunks it lacks; the first push sends them all, later ones the delta.
ankagit push origin main --tags

step "install on a build host: clone into a shared store"
# --shared-store: every VM on the host keeps its chunks in one store, so a second VM or a later
# version only fetches what the host does not hold yet.
mkdir -p "$HOST"
ankagit clone "$REGISTRY/macos-runner" "$HOST/macos-runner" --shared-store "$HOST/.ankagit-store"

step "update the template in place (new packages, rewritten files), as an OS update would"
corpus update "$TEMPLATE" --seed 2 --change "$CHANGE"
# status compares sizes and times first, so unchanged multi-GB files are not read.
ankagit status
ankagit commit -m "Xcode 17.1"
ankagit tag v15.1-xcode17.1

step "publish the update: know the upload size first, then push only the new chunks"
ankagit push origin main --tags --dry-run
ankagit push origin main --tags

step "on the build host: know the download size first, then pull only the delta"
cd "$HOST/macos-runner"
ankagit fetch --dry-run
# pull fetches, then writes only the ranges that differ into the VM files; holes stay holes.
ankagit pull
cmp disk.img "$TEMPLATE/disk.img" && echo "the build host's disk.img is byte-identical to the template"

step "what changed between the two versions, and what each added to the store"
ankagit diff v15.1 v15.1-xcode17.1 --stat
ankagit du

step "check the registry: every object intact, every ref complete"
ankagit fsck --root "$WORK/registry"
