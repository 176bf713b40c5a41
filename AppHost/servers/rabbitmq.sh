#!/usr/bin/env bash
# Runs RabbitMQ from the operating system's packages in the foreground, with its own data folder.
# AMQP is served over TLS only, with the server certificate certificates.sh makes in CERTIFICATES; the management API
# answers on loopback only.
# usage: rabbitmq.sh DATA_DIR AMQP_PORT MANAGEMENT_PORT   (env RABBITMQ_PASSWORD: the password of the user "harbour";
#                                                          CERTIFICATES: the folder of certificates.sh)
set -euo pipefail
data=$1 port=$2 management=$3
: "${RABBITMQ_PASSWORD:?RABBITMQ_PASSWORD is required}"
: "${CERTIFICATES:?CERTIFICATES is required}"
server=/usr/lib/rabbitmq/bin/rabbitmq-server
[ -x "$server" ] || { echo "RabbitMQ is not installed: apt-get install -y rabbitmq-server" >&2; exit 1; }

mkdir -p "$data"
chmod 700 "$data"
"$(dirname "$0")/certificates.sh" "$CERTIFICATES"
install -m 600 "$CERTIFICATES/server.key" "$data/server.key"
install -m 644 "$CERTIFICATES/server.crt" "$data/server.crt"
cat >"$data/rabbitmq.conf" <<CONF
listeners.tcp = none
listeners.ssl.default = 127.0.0.1:$port
ssl_options.certfile = $data/server.crt
ssl_options.keyfile = $data/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
ssl_options.versions.1 = tlsv1.3
ssl_options.versions.2 = tlsv1.2
management.tcp.port = $management
management.tcp.ip = 127.0.0.1
default_user = harbour
default_pass = $RABBITMQ_PASSWORD
loopback_users = none
log.console = true
log.console.level = warning
log.file = false
CONF
# The shovel plugins let an operator move failed messages from an error queue back to be replayed.
echo '[rabbitmq_management,rabbitmq_shovel,rabbitmq_shovel_management].' >"$data/enabled_plugins"
chmod 600 "$data/rabbitmq.conf"

# Each run gets its own node name and Erlang distribution port, so several can share a machine. The distribution port is kept
# below Linux's ephemeral range (32768 and up), where any outgoing connection could take it first and stop the node starting
# (dist_port_already_used); and off RabbitMQ's default 25672, which a system-wide node may hold.
export HOME=$data
export RABBITMQ_NODENAME="harbour$port@localhost"
export RABBITMQ_CONFIG_FILE="$data/rabbitmq.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$data/enabled_plugins"
export RABBITMQ_MNESIA_BASE="$data/mnesia"
export RABBITMQ_LOG_BASE="$data/log"
export RABBITMQ_DIST_PORT=$(( port % 10000 + 21000 ))
export ERL_EPMD_ADDRESS=127.0.0.1
# The distribution port answers on loopback only, as every other port here: nothing on the network can reach the node.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
if [ "$(id -u)" = 0 ]; then
  chown -R rabbitmq: "$data"
  exec runuser -u rabbitmq --preserve-environment -- "$server"
fi
exec "$server"
