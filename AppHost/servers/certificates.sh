#!/usr/bin/env bash
# Makes, once, the certificates the local servers use for TLS: a certificate authority of this machine's own and a
# server certificate it signs for localhost and 127.0.0.1. The services trust the authority through SSL_CERT_DIR=DIR/trust
# (with the system's own directory); its private key stays in DIR/authority, readable by its owner only.
# usage: certificates.sh DIR
set -euo pipefail
dir=$1
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
[ -s "$dir/server.crt" ] && [ -s "$dir/trust/harbour-local-authority.crt" ] && exit 0

umask 077
mkdir -p "$dir/authority" "$dir/trust"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=Harbour local authority" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$dir/authority/authority.key" -out "$dir/authority/authority.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
openssl x509 -req -in "$dir/server.csr" -CA "$dir/authority/authority.crt" -CAkey "$dir/authority/authority.key" \
  -CAcreateserial -days 825 -out "$dir/server.crt" -extfile <(printf '%s\n' \
    "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth") 2>/dev/null
rm -f "$dir/server.csr" "$dir/authority/authority.srl"
# The authority's certificate is public: readable by every user, so that services running as another user trust it.
cp "$dir/authority/authority.crt" "$dir/trust/harbour-local-authority.crt"
chmod 755 "$dir" "$dir/trust"
chmod 644 "$dir/trust/harbour-local-authority.crt" "$dir/server.crt"
openssl rehash "$dir/trust" >/dev/null 2>&1 || true
