#!/bin/sh
# The project-local cluster: db start/stop/status, started on demand by
# db init, socket only, --listen, HOTICH_HOME.
. "$(dirname "$0")/lib/tap.sh"

home=$T_TMP/home
mkdir -p "$home"
# as root, the cluster runs as user postgres, who must reach var/pg
chmod 755 "$T_TMP" "$home"
export HOTICH_HOME="$home"
pg=$home/var/pg
# the binary's version: its last migration
v=$(ls "$HOTICH_SRC"/loaders/migrations/[0-9][0-9][0-9][0-9]_*.sql | wc -l | tr -d ' ')
cleanup_cluster() { "$HOTICH" db stop >/dev/null 2>&1 || true; }
trap 'cleanup_cluster; rm -rf "$T_TMP"' EXIT

t_run 3 "db status before anything exits 3" hotich db status
t_grep "$T_OUT" "^cluster: +$pg \(not initialized" "and says the cluster is not initialized"
t_grep "$T_ERR" "the local cluster is not initialized" "the error says so too"

t_run 0 "db start creates and starts the cluster" hotich db start
t_grep "$T_OUT" "^cluster: +$pg \(running, pid [0-9]+, PostgreSQL [0-9]+, socket $pg/\.s\.PGSQL\.5432, no TCP listener\)" \
	"db start reports a socket-only cluster"
t_ok "the data directory is in var/pg/data" test -f "$pg/data/PG_VERSION"
t_ok "the socket is in var/pg" test -S "$pg/.s.PGSQL.5432"
local_db="host=$pg port=5432 user=hotich dbname=hotich"
t_is "$(t_psql "$local_db" "SHOW listen_addresses")" "" "the server has no TCP listener"
t_is "$(t_psql "$local_db" "SHOW server_encoding")" "UTF8" "the cluster is UTF-8"
t_is "$(stat -c %a "$pg")" 700 "var/pg is private to the cluster's owner"

t_run 0 "db start again is a no-op" hotich db start
t_grep "$T_ERR" "already running" "and says so"
t_run 0 "db status on the running cluster" hotich db status
t_grep "$T_OUT" '^schema: +none' "reports no schema yet"

t_run 0 "db stop stops it" hotich db stop
t_grep "$T_OUT" "^cluster: +$pg \(stopped\)" "db stop reports it"
t_ok "the socket is gone" test ! -e "$pg/.s.PGSQL.5432"
t_run 3 "db status on a stopped cluster exits 3" hotich db status
t_grep "$T_OUT" "^cluster: +$pg \(stopped" "and says it is stopped"
t_run 0 "db stop on a stopped cluster is fine" hotich db stop
t_grep "$T_OUT" "was not running" "and says so"

# the schema's version: the last of the numbered migrations (contiguous from 1)
v=$(ls "$HOTICH_SRC"/loaders/migrations/[0-9]*.sql | wc -l | tr -d ' ')
t_run 0 "db init starts the cluster on demand" hotich db init
t_grep "$T_ERR" "started the local cluster" "and says it started it"
t_grep "$T_OUT" "^schema created at version $v" "then creates the schema"
t_is "$(t_psql "$local_db" "SELECT max(version) FROM schema_version")" "$v" \
	"psql finds hotich's tables (search_path of the database)"
t_run 0 "db init again is a no-op" hotich db init
t_grep "$T_OUT" "^schema is up to date at version $v" "and says so"

hotich db stop >/dev/null 2>&1
port=$((20000 + $$ % 20000))
t_run 0 "db start --listen asks for a TCP listener" hotich db start --listen "127.0.0.1:$port"
t_grep "$T_OUT" "socket $pg/\.s\.PGSQL\.$port, TCP on 127\.0\.0\.1\)" "db start reports it"
t_is "$(t_psql "host=$pg port=$port user=hotich dbname=hotich" "SHOW listen_addresses")" \
	"127.0.0.1" "the server listens on the asked address"
t_run 0 "db status finds the cluster on its port" hotich db status
t_grep "$T_OUT" "^schema: +version $v \(up to date\)" "and its schema"
hotich db stop >/dev/null 2>&1
t_run 0 "db start without --listen drops the listener again" hotich db start
t_is "$(t_psql "$local_db" "SHOW listen_addresses")" "" "no TCP listener"
t_run 0 "db stop" hotich db stop

t_done
