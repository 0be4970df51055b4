#!/usr/bin/env bash
# The main job end to end on the embedded default (a local object store): make a small real VM
# (a sparse disk holding an ext4 filesystem made by mkfs.ext4 -d), commit it, change it in place as
# an update would, commit again, show log and diff, check out the first version and verify it byte
# for byte. Run by `npm run demo` after the build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ankagit() { node "$ROOT/dist/src/cli/main.js" "$@"; }
corpus() { node "$ROOT/dist/bench/corpus/cli.js" "$@"; }
human() { numfmt --to=iec-i --suffix=B "$1"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ankagit-demo.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
VM="$WORK/macos-runner"

step "make a VM: 2 GiB sparse disk with a real ext4 filesystem, config, NVRAM"
corpus make-vm "$VM" --disk-size 2G --data 150M --seed 1
ls -ls "$VM"
cd "$VM"

step "ankagit init && ankagit commit"
ankagit init
ankagit commit -m "base image"
ankagit tag v1
cp --sparse=always disk.img "$WORK/v1-disk.img"

step "update the VM in place (new packages, rewritten files), then status and commit"
corpus update "$VM" --seed 2 --change 30M
ankagit status
C2=$(ankagit commit -m "package update" --json)
ankagit tag v2
echo "$C2"

step "commit with nothing changed"
time (ankagit commit -m "again" || true)

step "ankagit log and diff"
ankagit log --oneline
ankagit diff v1 v2 --stat

step "check out v1 and verify it byte for byte"
ankagit checkout v1
cmp disk.img "$WORK/v1-disk.img" && echo "disk.img is byte-identical to v1"
echo "allocated: $(du -k disk.img | cut -f1) KiB now, $(du -k "$WORK/v1-disk.img" | cut -f1) KiB originally (holes kept)"
ankagit checkout main
ankagit fsck

step "summary"
APPARENT=$(stat -c %s disk.img)
ALLOCATED=$(( $(stat -c %b disk.img) * 512 ))
STORE=$(du -sb .ankagit/objects | cut -f1)
echo "VM disk: $(human "$APPARENT") apparent, $(human "$ALLOCATED") allocated"
echo "store after two versions: $(human "$STORE")"
echo "second commit stored: $(human "$(echo "$C2" | node -e 'process.stdin.on("data",d=>console.log(JSON.parse(d).storedBytes))')")"
