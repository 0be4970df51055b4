#!/usr/bin/env bash
# The main job end to end on the embedded default (a local object store): make a small real VM
# (a sparse disk holding an ext4 filesystem made by mkfs.ext4 -d), commit it, change it in place as
# an update would, commit again, show log and diff, check out the first version and verify it byte
# for byte. Run by `npm run demo` after the build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ankagit() { node "$ROOT/dist/cli/ankagit.js" "$@"; }
# Started with & : exec makes $! the daemon itself (not a subshell around it), so the cleanup's kill stops it.
ankagit_daemon() { exec node "$ROOT/dist/cli/ankagit.js" daemon "$@"; }
corpus() { node "$ROOT/dist/bench/corpus/cli.js" "$@"; }
human() { numfmt --to=iec-i --suffix=B "$1"; }
# json 'TEMPLATE': formats the JSON on stdin with a JavaScript template (d is the object, human() sizes).
json() { node -e 'const h=(n)=>{const u=["B","KiB","MiB","GiB"];let i=0;while(n>=1024&&i<3){n/=1024;i++}return (i?n.toFixed(1):n)+" "+u[i]};let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const d=JSON.parse(s);console.log(new Function("d","human","return `"+process.argv[1]+"`")(d,h))})' "$1"; }
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
echo "$C2" | json 'commit ${d.id.slice(0,12)}: ${d.newChunks} new chunks, ${human(d.newBytes)} of new data, ${human(d.storedBytes)} stored'

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

step "start a registry: ankagit daemon (one shared object store for many VMs)"
ankagit_daemon --root "$WORK/registry" --listen 127.0.0.1:0 > "$WORK/daemon.out" 2> "$WORK/daemon.err" &
DAEMON=$!
trap 'kill $DAEMON 2>/dev/null; wait $DAEMON 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do grep -q listening "$WORK/daemon.out" 2>/dev/null && break; sleep 0.1; done
URL=$(sed 's/^listening on //' "$WORK/daemon.out")
echo "registry at $URL"

step "push v1 and v2 with their tags"
ankagit remote add origin "$URL/macos-runner"
P1=$(ankagit push origin main --tags --json)
echo "$P1" | json 'sent: ${d.sent.chunkObjects} chunks, ${human(d.sent.bytes)} on the wire in ${d.stats.requests} requests'

step "clone on a build host"
HOST="$WORK/build-host/macos-runner"
C1=$(ankagit clone "$URL/macos-runner" "$HOST" --json)
echo "$C1" | json 'received ${human(d.fetch.stats.bytesReceived)} in ${d.fetch.stats.requests} requests, checked out ${d.branch}'
cmp "$HOST/disk.img" "$VM/disk.img" && echo "the clone's disk.img is byte-identical"

step "update the template in place, commit, push the delta"
corpus update "$VM" --seed 3 --change 20M
ankagit commit -q -m "security update"
P2=$(ankagit push --json)
echo "$P2" | json 'sent: ${d.sent.chunkObjects} chunks, ${human(d.sent.bytes)} on the wire in ${d.stats.requests} requests'

step "pull the delta on the build host"
cd "$HOST"
L=$(ankagit pull --json)
echo "$L" | json 'received ${human(d.fetch.stats.bytesReceived)} in ${d.fetch.stats.requests} requests; wrote ${human(d.checkout.bytesWritten)}'
cmp "$HOST/disk.img" "$VM/disk.img" && echo "the build host's disk.img is byte-identical to the template"
U=$(ankagit fetch --json)
echo "$U" | json 'an up-to-date fetch: ${d.stats.requests} request, ${human(d.stats.bytesReceived)}'
cd "$VM"

step "summary"
APPARENT=$(stat -c %s disk.img)
ALLOCATED=$(( $(stat -c %b disk.img) * 512 ))
STORE=$(du -sb .ankagit/objects | cut -f1)
echo "VM disk:                      $(human "$APPARENT") apparent, $(human "$ALLOCATED") allocated"
echo "local store, 3 versions:      $(human "$STORE")"
echo "second commit stored:         $(echo "$C2" | json '${human(d.storedBytes)}')"
echo "first push sent:              $(echo "$P1" | json '${human(d.sent.bytes)}')"
echo "clone received:               $(echo "$C1" | json '${human(d.fetch.stats.bytesReceived)}')"
echo "delta push sent:              $(echo "$P2" | json '${human(d.sent.bytes)}')"
echo "delta pull received:          $(echo "$L" | json '${human(d.fetch.stats.bytesReceived)}')"
