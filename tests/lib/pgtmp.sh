# pgtmp.sh — a throwaway PostgreSQL cluster for the test suite (sourced).
#
# pgtmp_start: initdb into a new temp folder, start the server with its unix
# socket in that folder and no TCP listener; export
#   HOTICH_TEST_PGHOST  socket directory
#   HOTICH_TEST_PGUSER  superuser of the throwaway cluster
# pgtmp_stop: stop the server and remove the folder.
#
# As root the cluster runs as user "postgres" (PostgreSQL refuses root).
# Nothing here touches a user's database or ./var/pg.

pgtmp_bindir() {
	if [ -n "${HOTICH_PG_BINDIR:-}" ]; then
		echo "$HOTICH_PG_BINDIR"
		return
	fi
	if command -v initdb >/dev/null 2>&1; then
		dirname "$(command -v initdb)"
		return
	fi
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n | tail -n 1
}

pgtmp_start() {
	PGTMP_BIN=$(pgtmp_bindir)
	if [ -z "$PGTMP_BIN" ] || [ ! -x "$PGTMP_BIN/initdb" ]; then
		echo "pgtmp: PostgreSQL server programs not found (install postgresql)" >&2
		return 1
	fi
	PGTMP_DIR=$(mktemp -d /tmp/hotich-test-pg.XXXXXX)
	PGTMP_RUN=
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$PGTMP_DIR"
		PGTMP_RUN="runuser -u postgres --"
	fi
	if ! (cd "$PGTMP_DIR" && $PGTMP_RUN "$PGTMP_BIN/initdb" -D "$PGTMP_DIR/data" -U hotich_test \
		-E UTF8 --locale=C --lc-ctype=C.UTF-8 --auth=trust --no-instructions \
		>"$PGTMP_DIR/initdb.log" 2>&1); then
		cat "$PGTMP_DIR/initdb.log" >&2
		return 1
	fi
	cat >>"$PGTMP_DIR/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PGTMP_DIR'
fsync = off
max_connections = 200
CONF
	if ! (cd "$PGTMP_DIR" && $PGTMP_RUN "$PGTMP_BIN/pg_ctl" -D "$PGTMP_DIR/data" \
		-l "$PGTMP_DIR/postgres.log" -w -s start); then
		cat "$PGTMP_DIR/postgres.log" >&2
		return 1
	fi
	export HOTICH_TEST_PGHOST="$PGTMP_DIR" HOTICH_TEST_PGUSER=hotich_test
}

pgtmp_stop() {
	[ -n "${PGTMP_DIR:-}" ] || return 0
	(cd "$PGTMP_DIR" && $PGTMP_RUN "$PGTMP_BIN/pg_ctl" -D "$PGTMP_DIR/data" -m immediate \
		-w -s stop) >/dev/null 2>&1 || true
	rm -rf "$PGTMP_DIR"
	PGTMP_DIR=
}
