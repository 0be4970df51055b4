#!/usr/bin/env bash
# Makes the benchmark corpus in OUT and prints the figures README.md quotes: time to make each
# piece, allocated sizes, and ideal deltas (../shared/tools/ideal-delta.py, next to the checkout).
#   bash bench/corpus/measure.sh OUT [--debian CACHE]     (after `npx tsc -p .`; needs root and ~6 GB free)
set -euo pipefail
out=${1:?usage: measure.sh OUT [--debian CACHE]}
debian=()
if [[ ${2:-} == --debian ]]; then debian=(--debian --cache "${3:?cache folder}"); fi
here=$(cd "$(dirname "$0")/../.." && pwd)
cli=(node "$here/dist/bench/corpus/cli.js")
ideal=$(cd "$here/.." && pwd)/shared/tools/ideal-delta.py
mkdir -p "$out"
cd "$out"
rm -rf base again upd-mount upd-mount2 upd-debugfs susp susp2 clone archive big64

alloc() { du -B1 "$1" | cut -f1 | awk '{printf "%.1f MiB", $1/1048576}'; }
delta() { python3 "$ideal" --base "$1" "$2" | tail -3 | sed 's/^/    /'; }

echo "== make-vm 8G, 650M of files, seed 1"
"${cli[@]}" make-vm base --disk-size 8G --data 650M --seed 1 "${debian[@]}"
echo "   disk.img allocated $(alloc base/disk.img), nvram.bin $(alloc base/nvram.bin)"
"${cli[@]}" make-vm again --disk-size 8G --data 650M --seed 1 "${debian[@]}" > /dev/null
cmp -s base/disk.img again/disk.img && echo "   second make: byte-identical disk.img" || echo "   second make: disk.img DIFFERS"
rm -rf again

for m in mount debugfs; do
  echo "== update --method $m --seed 2 --change 100M"
  cp -a --sparse=always base "upd-$m"
  "${cli[@]}" update "upd-$m" --seed 2 --change 100M --method "$m"
  e2fsck -fn "upd-$m/disk.img" > /dev/null 2>&1 && echo "   e2fsck -fn clean"
  delta base/disk.img "upd-$m/disk.img"
done
cp -a --sparse=always base upd-mount2
"${cli[@]}" update upd-mount2 --seed 2 --change 100M --method mount > /dev/null
node -e "
  const fs = require('fs'); const a = fs.openSync('upd-mount/disk.img'), b = fs.openSync('upd-mount2/disk.img');
  const x = Buffer.alloc(65536), y = Buffer.alloc(65536); let d = 0;
  for (let o = 0; ; o += 65536) { const n = fs.readSync(a, x, 0, 65536, o); fs.readSync(b, y, 0, 65536, o); if (!n) break; if (!x.equals(y)) d++ }
  console.log('   two mount updates with one seed differ in ' + d + ' blocks of 64 KiB (kernel timestamps, journal)')"
rm -rf upd-mount2

echo "== suspend --seed 1 --memory 2G, then --seed 2 over it"
cp -a --sparse=always base susp
"${cli[@]}" suspend susp --seed 1 --memory 2G
echo "   memory.img allocated $(alloc susp/memory.img)"
python3 "$ideal" susp/memory.img | tail -3 | sed 's/^/    /'
cp -a --sparse=always susp susp2
"${cli[@]}" suspend susp2 --seed 2 --memory 2G
delta susp/memory.img susp2/memory.img

echo "== clone --seed 4 --change 10M"
"${cli[@]}" clone base clone --seed 4 --change 10M
delta base/disk.img clone/disk.img

echo "== archive --seed 5 --size 278M"
"${cli[@]}" archive archive --seed 5 --size 278M
delta archive/base.tar archive/changed.tar

echo "== make-vm 64G apparent, 650M of files"
"${cli[@]}" make-vm big64 --disk-size 64G --data 650M --seed 1 "${debian[@]}"
echo "   disk.img allocated $(alloc big64/disk.img)"
