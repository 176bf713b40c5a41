#!/usr/bin/env bash
# Runs PostgreSQL from the operating system's packages in the foreground, with its own data folder.
# It accepts only connections over TLS, with the server certificate certificates.sh makes in CERTIFICATES.
# usage: postgres.sh DATA_DIR PORT   (env POSTGRES_PASSWORD: the password of the superuser "harbour";
#                                     CERTIFICATES: the folder of certificates.sh)
set -euo pipefail
data=$1 port=$2
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
: "${CERTIFICATES:?CERTIFICATES is required}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/postgres" ] || { echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2; exit 1; }

# postgres refuses to run as root: then it runs as the postgres user, who must own the data folder.
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi

mkdir -p "$data"
[ "$(id -u)" = 0 ] && chown postgres: "$data" && chmod 700 "$data"
if [ ! -s "$data/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
  "${as[@]}" "$bin/initdb" -D "$data" -U harbour --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
fi

# TLS: the server's certificate and key in its own folder (PostgreSQL wants the key its own, readable by it alone), and
# every connection over TCP refused unless it is encrypted.
"$(dirname "$0")/certificates.sh" "$CERTIFICATES"
install -m 600 "$CERTIFICATES/server.key" "$data/server.key"
install -m 644 "$CERTIFICATES/server.crt" "$data/server.crt"
cat >"$data/pg_hba.conf" <<HBA
local     all all                scram-sha-256
hostssl   all all 127.0.0.1/32   scram-sha-256
hostssl   all all ::1/128        scram-sha-256
hostnossl all all all            reject
HBA
[ "$(id -u)" = 0 ] && chown postgres: "$data/server.key" "$data/server.crt" "$data/pg_hba.conf"

# A stop request (SIGTERM from the orchestrator) becomes a fast shutdown: the default, smart one would
# wait for every pooled client connection to close.
"${as[@]}" "$bin/postgres" -D "$data" -p "$port" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$data" \
  -c max_connections=300 -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key -c ssl_min_protocol_version=TLSv1.2 &
server=$!
stopping=
trap 'stopping=1; "${as[@]}" "$bin/pg_ctl" -D "$data" stop -m fast >/dev/null' TERM INT
set +e
wait "$server"
status=$?
while kill -0 "$server" 2>/dev/null; do wait "$server"; done
[ -n "$stopping" ] && exit 0
exit "$status"
