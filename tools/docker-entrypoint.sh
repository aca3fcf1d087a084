#!/bin/sh
# docker-entrypoint.sh — start hotich in its container.  When the database
# password is given as a Docker secret (/run/secrets/db_password), it is put
# in a private .pgpass file for libpq, so that it never appears in the
# environment, on a command line or in `ps`.
set -eu
secret=/run/secrets/db_password
if [ -r "$secret" ]; then
	umask 077
	pgpass="${HOME:-/var/lib/hotich}/.pgpass"
	printf '*:*:*:*:%s\n' "$(sed -e 's/\\/\\\\/g' -e 's/:/\\:/g' "$secret" | head -n 1)" >"$pgpass"
	export PGPASSFILE="$pgpass"
fi
exec hotich "$@"
