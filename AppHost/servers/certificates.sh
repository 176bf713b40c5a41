#!/usr/bin/env bash
# Makes the certificates the local servers use for TLS: a certificate authority of this machine's own and a server
# certificate it signs for localhost, 127.0.0.1 and ::1. The services trust the authority through SSL_CERT_DIR=DIR/trust
# (with the system's own directory), so the authority is made as harmless as it can be:
# - its name constraints let it vouch for loopback names only (localhost, 127.0.0.0/8, ::1), never for a server elsewhere;
# - its private key is deleted once the server certificate is signed, so nobody can sign another with it.
# Both are made again, together, when the server certificate has less than 30 days left (it lasts 825 days), when the
# authority has no name constraints (made by an older version of this script) or when its key was left behind; a server
# still running from before then serves a certificate from the old authority, which the services no longer trust, until
# it restarts (the AppHost starts both together).
# usage: certificates.sh DIR
set -euo pipefail
dir=$1
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9

current() {
  [ -s "$dir/server.crt" ] && [ -s "$dir/server.key" ] && [ -s "$dir/trust/harbour-local-authority.crt" ] \
    && [ ! -e "$dir/authority" ] \
    && openssl x509 -in "$dir/server.crt" -noout -checkend $((30 * 24 * 3600)) >/dev/null 2>&1 \
    && grep -qi permitted <<<"$(openssl x509 -in "$dir/trust/harbour-local-authority.crt" -noout -ext nameConstraints 2>/dev/null)"
}
current && exit 0

umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj "/CN=Harbour local authority" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "nameConstraints=critical,permitted;DNS:localhost,permitted;IP:127.0.0.0/255.0.0.0,permitted;IP:::1/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" \
  -keyout "$work/authority.key" -out "$work/authority.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
openssl x509 -req -in "$work/server.csr" -CA "$work/authority.crt" -CAkey "$work/authority.key" \
  -CAcreateserial -days 825 -out "$work/server.crt" -extfile <(printf '%s\n' \
    "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth") 2>/dev/null

# Into place; the authority's certificate is public, readable by every user, so that services running as another user
# trust it. Its key goes with the work folder.
mkdir -p "$dir/trust"
rm -rf "$dir/authority"
install -m 600 "$work/server.key" "$dir/server.key"
install -m 644 "$work/server.crt" "$dir/server.crt"
install -m 644 "$work/authority.crt" "$dir/trust/harbour-local-authority.crt"
chmod 755 "$dir" "$dir/trust"
openssl rehash "$dir/trust" >/dev/null 2>&1 || true
