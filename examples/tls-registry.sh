#!/usr/bin/env bash
# A registry served over HTTPS with bearer tokens: a private certificate authority and a server
# certificate made with openssl, an auth file granting one token write access and another read
# access, a push with the write token, a clone with the read token, and the refusals a client sees
# with the wrong token or without the CA. The daemon serves TLS itself here; behind nginx instead,
# see docs/deployment.md.
#
#   npm run build && bash examples/tls-registry.sh
#
# DISK_SIZE and DATA size the VM; KEEP=1 keeps the work folder. Needs openssl and e2fsprogs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DISK_SIZE=${DISK_SIZE:-1G}
DATA=${DATA:-64M}
ankagit() { node "$ROOT/dist/cli/ankagit.js" "$@"; }
# Started with & : exec makes $! the daemon itself (not a subshell around it), so the cleanup's kill stops it.
ankagit_daemon() { exec node "$ROOT/dist/cli/ankagit.js" daemon "$@"; }
corpus() { node "$ROOT/dist/bench/corpus/cli.js" "$@" > /dev/null; }
step() { printf '\n== %s\n' "$*"; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ankagit-tls.XXXXXX")"
DAEMON=""
cleanup() {
  if [[ -n $DAEMON ]]; then kill "$DAEMON" 2> /dev/null || true; wait "$DAEMON" 2> /dev/null || true; fi
  if [[ ${KEEP:-} == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
export ANKAGIT_AUTHOR_NAME="CI templates" ANKAGIT_AUTHOR_EMAIL="ci@example.com"
# Tokens come from the environment or --token, never from anything the registry stores.
unset ANKAGIT_TOKEN ANKAGIT_CA_FILE

step "a private CA, and a certificate it signs for the registry's address"
PKI="$WORK/pki"
mkdir -p "$PKI"
# EC P-256 keys: small and fast to make. The CA certificate is what clients trust (--cacert).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
  -keyout "$PKI/ca-key.pem" -out "$PKI/ca.pem" -subj "/CN=ankagit example CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2> /dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$PKI/key.pem" -out "$PKI/server.csr" -subj "/CN=localhost" 2> /dev/null
# The name clients connect to must be in subjectAltName: here the loopback address and localhost.
printf '%s\n' basicConstraints=CA:FALSE keyUsage=critical,digitalSignature,keyEncipherment \
  extendedKeyUsage=serverAuth subjectAltName=IP:127.0.0.1,DNS:localhost > "$PKI/server.ext"
openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca-key.pem" -CAcreateserial \
  -days 30 -extfile "$PKI/server.ext" -out "$PKI/cert.pem" 2> /dev/null
echo "CA: $PKI/ca.pem; server certificate: $PKI/cert.pem"

step "tokens: one that may push templates, one that build hosts use to pull"
# 16 printable characters at least; the daemon keeps only their hashes. Make real ones with openssl rand.
WRITE_TOKEN="templates-$(openssl rand -hex 12)"
READ_TOKEN="build-hosts-$(openssl rand -hex 12)"
cat > "$WORK/tokens" << EOF
# token                       access  repositories
$WRITE_TOKEN  write   macos-*
$READ_TOKEN   read    *
EOF
chmod 600 "$WORK/tokens"
echo "auth file: $WORK/tokens (write: macos-*, read: every repository)"

step "serve the registry over HTTPS with the auth file"
ankagit_daemon --root "$WORK/registry" --listen 127.0.0.1:0 \
  --tls-cert "$PKI/cert.pem" --tls-key "$PKI/key.pem" --auth "$WORK/tokens" > "$WORK/daemon.out" 2> "$WORK/daemon.err" &
DAEMON=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$WORK/daemon.out" 2> /dev/null && break; sleep 0.1; done
REGISTRY=$(sed -n 's/^listening on //p' "$WORK/daemon.out")
[[ -n $REGISTRY ]] || { echo "the daemon did not start: $(cat "$WORK/daemon.err")" >&2; exit 1; }
echo "registry at $REGISTRY"

step "push a template with the write token, trusting the private CA"
corpus make-vm "$WORK/macos-runner" --disk-size "$DISK_SIZE" --data "$DATA" --seed 1
cd "$WORK/macos-runner"
ankagit init -q
ankagit commit -q -m "macOS 15.1 base"
ankagit tag v15.1
ankagit remote add origin "$REGISTRY/macos-runner"
ankagit push origin main --tags --token "$WRITE_TOKEN" --cacert "$PKI/ca.pem"

step "clone on a build host with the read token, from the environment as a CI job would set it"
ANKAGIT_TOKEN=$READ_TOKEN ANKAGIT_CA_FILE=$PKI/ca.pem ankagit clone "$REGISTRY/macos-runner" "$WORK/build-host/macos-runner"
cmp "$WORK/build-host/macos-runner/disk.img" disk.img && echo "the clone's disk.img is byte-identical"

step "what clients see when something is wrong (each command fails, as it should)"
# The exit status says which: 8 for authentication or authorization, 7 for a remote that cannot be reached.
expect_failure() {
  local want=$1; shift
  local status=0
  "$@" 2> "$WORK/error" > /dev/null || status=$?
  echo "exit $status: $(cat "$WORK/error")"
  [[ $status == "$want" ]] || { echo "expected exit status $want" >&2; exit 1; }
}
ankagit tag v15.1-rc
expect_failure 8 ankagit push origin v15.1-rc --token "$READ_TOKEN" --cacert "$PKI/ca.pem"
expect_failure 8 ankagit ls-remote origin --token "not-a-valid-token-at-all" --cacert "$PKI/ca.pem"
expect_failure 7 ankagit ls-remote origin --token "$READ_TOKEN"
