#!/usr/bin/env bash
# A scaled-out ankagit registry on one machine: REPLICAS daemons sharing one S3 store, and nginx
# with TLS in front of them (docs/deployment.md, "Scaled out"). Runs in the foreground; SIGTERM or
# SIGINT stop everything. Prints "ready https://LISTEN" once every piece accepts connections.
#
#   ANKAGIT_STORE='s3://vms/registry?endpoint=http://rgw:7480' \
#   AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... examples/scale-out/start.sh
#
# Settings, from the environment:
#   ANKAGIT_STORE    (required) s3://BUCKET[/PREFIX]?endpoint=URL&region=R; the bucket must exist
#   STATE_DIR        config, logs, pid files, a generated certificate (default ./scale-out-state)
#   LISTEN           nginx's address (default 127.0.0.1:8443)
#   REPLICAS         daemons to start (default 2), on 127.0.0.1:FIRST_PORT, FIRST_PORT+1, ... (default 9000)
#   AUTH_FILE        bearer tokens (default auth.example beside this script)
#   TLS_CERT TLS_KEY PEM files (default a self-signed certificate for 127.0.0.1, made once in STATE_DIR)
#   ANKAGIT          the command to run (default ankagit; e.g. "node /opt/ankagit/dist/cli/ankagit.js")
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${ANKAGIT_STORE:?set ANKAGIT_STORE to s3://BUCKET[/PREFIX]?endpoint=URL}"
STATE_DIR=$(mkdir -p "${STATE_DIR:-scale-out-state}" && cd "${STATE_DIR:-scale-out-state}" && pwd)
LISTEN=${LISTEN:-127.0.0.1:8443}
REPLICAS=${REPLICAS:-2}
FIRST_PORT=${FIRST_PORT:-9000}
AUTH_FILE=${AUTH_FILE:-$here/auth.example}
ANKAGIT=${ANKAGIT:-ankagit}

pids=()
stop() {
  trap - TERM INT EXIT
  # Daemons first: SIGTERM lets running requests finish and saves what they received.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 0' TERM INT

mkdir -p "$STATE_DIR"/tmp/{body,proxy,fastcgi,uwsgi,scgi}
# nginx started by root runs its workers as an unprivileged user, who must reach the temp folders.
chmod 755 "$STATE_DIR" "$STATE_DIR/tmp"

if [ -z "${TLS_CERT:-}" ]; then
  TLS_CERT=$STATE_DIR/cert.pem TLS_KEY=$STATE_DIR/key.pem
  [ -f "$TLS_CERT" ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$TLS_KEY" -out "$TLS_CERT" -days 365 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -addext basicConstraints=critical,CA:TRUE 2>/dev/null
fi

servers=""
for ((i = 0; i < REPLICAS; i++)); do
  port=$((FIRST_PORT + i))
  # $ANKAGIT is split into words on purpose, so it may be "node path/to/main.js".
  $ANKAGIT daemon --store "$ANKAGIT_STORE" --listen "127.0.0.1:$port" --auth "$AUTH_FILE" \
    >"$STATE_DIR/daemon-$port.out" 2>"$STATE_DIR/daemon-$port.log" &
  pids+=($!)
  servers+="server 127.0.0.1:$port;"$'\n        '
done
for ((i = 0; i < REPLICAS; i++)); do
  port=$((FIRST_PORT + i))
  until grep -q '^listening on' "$STATE_DIR/daemon-$port.out"; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "daemon on port $port failed: $(cat "$STATE_DIR/daemon-$port.log")" >&2; exit 1; }
    sleep 0.1
  done
done

conf=$(<"$here/nginx.conf")
conf=${conf//@STATE@/$STATE_DIR}
conf=${conf//@LISTEN@/$LISTEN}
conf=${conf//@CERT@/$TLS_CERT}
conf=${conf//@KEY@/$TLS_KEY}
conf=${conf//@UPSTREAMS@/$servers}
printf '%s\n' "$conf" >"$STATE_DIR/nginx.conf"
nginx -c "$STATE_DIR/nginx.conf" -p "$STATE_DIR" &
pids+=($!)
until (exec 3<>"/dev/tcp/${LISTEN%:*}/${LISTEN##*:}") 2>/dev/null; do
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "nginx failed: $(cat "$STATE_DIR/nginx-error.log")" >&2; exit 1; }
  sleep 0.1
done
echo "ready https://$LISTEN"
# Until a signal: a replica that dies leaves the others serving (nginx skips it); a real deployment
# runs each replica under its own service manager unit, which restarts it (docs/deployment.md).
wait
