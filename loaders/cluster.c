/*
 * cluster.c — the project-local PostgreSQL cluster under <home>/var/pg.
 *
 * Layout:
 *   var/pg/            socket directory (mode 0700), logs, lock file
 *   var/pg/data/       the data directory (initdb -E UTF8)
 *   var/pg/data/hotich.conf  written at each start: socket directory, port,
 *                      listen_addresses ('' = no TCP listener)
 *
 * PostgreSQL refuses to run as root, so when hotich runs as root the
 * cluster is created and run by an unprivileged user ($HOTICH_PG_USER,
 * default "postgres"); every server program is started in a child process
 * that drops to that user first.  Programs are run with execv and an argv
 * array: nothing goes through a shell.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loaders.h"

#define DEFAULT_PORT 5432

static int is_executable(const char *path)
{
	return access(path, X_OK) == 0;
}

static char *bindir_with(const char *dir)
{
	char *initdb = xasprintf("%s/initdb", dir);
	char *pgctl = xasprintf("%s/pg_ctl", dir);
	int ok = is_executable(initdb) && is_executable(pgctl);

	free(initdb);
	free(pgctl);
	return ok ? xstrdup(dir) : NULL;
}

/* The newest /usr/lib/postgresql/N/bin that has initdb and pg_ctl. */
static char *newest_debian_bindir(void)
{
	DIR *d = opendir("/usr/lib/postgresql");
	struct dirent *de;
	long best = -1;
	char *found = NULL;

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		long v;
		char *dir, *ok;

		if (parse_int(de->d_name, 1, 1000, &v) < 0 || v <= best)
			continue;
		dir = xasprintf("/usr/lib/postgresql/%s/bin", de->d_name);
		ok = bindir_with(dir);
		free(dir);
		if (ok) {
			free(found);
			found = ok;
			best = v;
		}
	}
	closedir(d);
	return found;
}

static char *bindir_on_path(void)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	if (!path)
		return NULL;
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save))
		if (*dir)
			found = bindir_with(dir);
	free(copy);
	return found;
}

/* Read the first line of a small file into buf; -1 if it cannot be read. */
static int read_first_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t len;

	if (!f)
		return -1;
	if (!fgets(buf, (int)size, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	len = strlen(buf);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

static char *find_bindir(const char *datadir)
{
	const char *env = getenv("HOTICH_PG_BINDIR");
	char version[16], *pgv, *dir, *found;

	if (env && *env)
		return bindir_with(env);
	/* An existing data directory needs the binaries of its major version. */
	pgv = xasprintf("%s/PG_VERSION", datadir);
	if (read_first_line(pgv, version, sizeof(version)) == 0) {
		dir = xasprintf("/usr/lib/postgresql/%s/bin", version);
		found = bindir_with(dir);
		free(dir);
		if (found) {
			free(pgv);
			return found;
		}
	}
	free(pgv);
	found = bindir_on_path();
	return found ? found : newest_debian_bindir();
}

int db_cluster_init(struct pg_cluster *c, const char *var_dir, herr *e)
{
	memset(c, 0, sizeof(*c));
	c->dir = xasprintf("%s/pg", var_dir);
	c->datadir = xasprintf("%s/data", c->dir);
	c->logfile = xasprintf("%s/postgres.log", c->dir);
	c->bindir = find_bindir(c->datadir);
	if (!c->bindir) {
		db_cluster_release(c);
		return herr_set(e, HT_EXIT_FATAL,
				"PostgreSQL server programs (initdb, pg_ctl) not found: install "
				"the \"postgresql\" package or set HOTICH_PG_BINDIR");
	}
	c->run_uid = geteuid();
	c->run_gid = getegid();
	if (c->run_uid == 0) {
		const char *user = getenv("HOTICH_PG_USER");
		struct passwd *pw;

		if (!user || !*user)
			user = "postgres";
		pw = getpwnam(user);
		if (!pw || pw->pw_uid == 0) {
			herr_set(e, HT_EXIT_FATAL,
				 "running as root: the local cluster must belong to an "
				 "unprivileged user, and user \"%s\" %s (set HOTICH_PG_USER)",
				 user, pw ? "is root" : "does not exist");
			db_cluster_release(c);
			return -1;
		}
		c->run_user = xstrdup(user);
		c->run_uid = pw->pw_uid;
		c->run_gid = pw->pw_gid;
		c->drop_privileges = 1;
	}
	return 0;
}

void db_cluster_release(struct pg_cluster *c)
{
	if (!c)
		return;
	free(c->dir);
	free(c->datadir);
	free(c->logfile);
	free(c->bindir);
	free(c->run_user);
	memset(c, 0, sizeof(*c));
}

char *db_cluster_conninfo(const struct pg_cluster *c, int port, const char *dbname)
{
	/* Paths with spaces or quotes must be quoted in a conninfo string. */
	strbuf sb = STRBUF_INIT;
	const char *p;

	strbuf_addstr(&sb, "host='");
	for (p = c->dir; *p; p++) {
		if (*p == '\'' || *p == '\\')
			strbuf_addch(&sb, '\\');
		strbuf_addch(&sb, *p);
	}
	strbuf_addf(&sb, "' port=%d dbname=%s user=hotich", port ? port : DEFAULT_PORT, dbname);
	return strbuf_detach(&sb, NULL);
}

int db_cluster_state(const struct pg_cluster *c, struct db_cluster_state *st, herr *e)
{
	char *path = xasprintf("%s/PG_VERSION", c->datadir);
	char line[512];
	FILE *f;
	int n;

	memset(st, 0, sizeof(*st));
	st->port = DEFAULT_PORT;
	if (read_first_line(path, st->version, sizeof(st->version)) == 0)
		st->initialized = 1;
	free(path);
	if (!st->initialized)
		return 0;

	/*
	 * postmaster.pid: pid, data directory, start time, port, socket
	 * directory, listen address, shared memory key, status.
	 */
	path = xasprintf("%s/postmaster.pid", c->datadir);
	f = fopen(path, "r");
	if (!f) {
		int err = errno;

		if (err == ENOENT) {
			free(path);
			return 0;
		}
		herr_set(e, HT_EXIT_FATAL, "could not read \"%s\": %s", path, strerror(err));
		free(path);
		return -1;
	}
	free(path);
	for (n = 1; fgets(line, sizeof(line), f); n++) {
		size_t len = strlen(line);
		long v;

		while (len && (line[len - 1] == '\n' || line[len - 1] == ' '))
			line[--len] = '\0';
		if (n == 1 && parse_int(line, 1, 0x7fffffff, &v) == 0)
			st->pid = v;
		else if (n == 4 && parse_int(line, 1, 65535, &v) == 0)
			st->port = (int)v;
		else if (n == 6)
			snprintf(st->listen, sizeof(st->listen), "%s", line);
	}
	fclose(f);
	if (st->pid > 0 && (kill((pid_t)st->pid, 0) == 0 || errno == EPERM))
		st->running = 1;
	return 0;
}

/* Last lines of a log file, for an error message. */
static void log_tail(const char *path, strbuf *out)
{
	strbuf sb = STRBUF_INIT;
	herr ignore;
	size_t start, lines = 0;

	if (fs_read_file(path, 64 << 20, &sb, &ignore) < 0) {
		strbuf_release(&sb);
		return;
	}
	strbuf_rtrim(&sb);
	start = sb.len;
	while (start > 0 && lines < 4) {
		start--;
		if (sb.buf[start] == '\n')
			lines++;
	}
	if (start < sb.len) {
		strbuf_addstr(out, "; last lines of ");
		strbuf_addstr(out, path);
		strbuf_addstr(out, ": ");
		strbuf_addstr(out, sb.buf + start + (sb.buf[start] == '\n'));
	}
	strbuf_release(&sb);
}

/*
 * Run a server program (argv[0] a full path) as the cluster's user with
 * stdout and stderr appended to `logpath`; wait for it.  Returns its exit
 * status (0 = success), or -1 when it could not be started.
 */
static int run_program(const struct pg_cluster *c, const char *const argv[], const char *logpath,
		       herr *e)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return herr_set(e, HT_EXIT_FATAL, "could not fork: %s", strerror(errno));
	if (pid == 0) {
		int fd, devnull;

		if (c->drop_privileges && (initgroups(c->run_user, c->run_gid) < 0 ||
					   setgid(c->run_gid) < 0 || setuid(c->run_uid) < 0))
			_exit(126);
		if (chdir(c->dir) < 0)
			_exit(126);
		fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
		devnull = open("/dev/null", O_RDONLY);
		if (fd < 0 || devnull < 0)
			_exit(126);
		dup2(devnull, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return herr_set(e, HT_EXIT_FATAL, "could not wait for %s: %s", argv[0],
					strerror(errno));
	}
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) == 126 && c->drop_privileges)
			return herr_set(e, HT_EXIT_FATAL,
					"could not run %s as user \"%s\" in \"%s\": that user "
					"must be able to enter every parent directory (running as "
					"root, the cluster belongs to \"%s\")",
					argv[0], c->run_user, c->dir, c->run_user);
		if (WEXITSTATUS(status) == 126)
			return herr_set(e, HT_EXIT_FATAL, "could not run %s in \"%s\"", argv[0],
					c->dir);
		if (WEXITSTATUS(status) == 127)
			return herr_set(e, HT_EXIT_FATAL, "could not execute %s", argv[0]);
		return WEXITSTATUS(status);
	}
	return herr_set(e, HT_EXIT_FATAL, "%s was killed by signal %d", argv[0],
			WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static int chown_to_run_user(const struct pg_cluster *c, const char *path, herr *e)
{
	if (!c->drop_privileges)
		return 0;
	if (chown(path, c->run_uid, c->run_gid) < 0)
		return herr_set(e, HT_EXIT_FATAL, "could not give \"%s\" to user \"%s\": %s", path,
				c->run_user, strerror(errno));
	return 0;
}

/* Write a file owned by the cluster's user, atomically (temp + rename). */
static int write_owned_file(const struct pg_cluster *c, const char *path, const char *text, herr *e)
{
	char *tmp = xasprintf("%s.tmp", path);
	size_t len = strlen(text);
	int fd, ret = -1;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		herr_set(e, HT_EXIT_FATAL, "could not create \"%s\": %s", tmp, strerror(errno));
		goto cleanup;
	}
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) < 0) {
		herr_set(e, HT_EXIT_FATAL, "could not write \"%s\": %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto cleanup;
	}
	close(fd);
	if (chown_to_run_user(c, tmp, e) < 0) {
		unlink(tmp);
		goto cleanup;
	}
	if (rename(tmp, path) < 0) {
		herr_set(e, HT_EXIT_FATAL, "could not rename \"%s\": %s", tmp, strerror(errno));
		unlink(tmp);
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(tmp);
	return ret;
}

/* A value for postgresql.conf: single-quoted, quotes doubled. */
static void conf_quote(strbuf *sb, const char *v)
{
	strbuf_addch(sb, '\'');
	for (; *v; v++) {
		if (*v == '\'')
			strbuf_addch(sb, '\'');
		strbuf_addch(sb, *v);
	}
	strbuf_addch(sb, '\'');
}

/*
 * --listen: "ADDR", "ADDR:PORT" or "[IPV6]:PORT"; ADDR as PostgreSQL's
 * listen_addresses takes it (a host name, an address, "*", a list).
 */
static int parse_listen(const char *listen, strbuf *addr, int *port, herr *e)
{
	const char *colon = NULL, *p;
	long v;

	*port = DEFAULT_PORT;
	strbuf_reset(addr);
	if (!listen)
		return 0;
	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (!close || (close[1] && close[1] != ':'))
			return herr_set(e, HT_EXIT_USAGE, "invalid --listen \"%s\"", listen);
		strbuf_add(addr, listen + 1, (size_t)(close - listen - 1));
		colon = close[1] ? close + 1 : NULL;
	} else {
		colon = strchr(listen, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL; /* a bare IPv6 address */
		strbuf_add(addr, listen, colon ? (size_t)(colon - listen) : strlen(listen));
	}
	if (colon) {
		if (parse_int(colon + 1, 1, 65535, &v) < 0)
			return herr_set(e, HT_EXIT_USAGE, "invalid port in --listen \"%s\"",
					listen);
		*port = (int)v;
	}
	for (p = addr->buf; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '\'' || *p == '"' || *p == '\\')
			break;
	if (!addr->len || *p)
		return herr_set(e, HT_EXIT_USAGE, "invalid address in --listen \"%s\"", listen);
	return 0;
}

static int initdb(const struct pg_cluster *c, herr *e)
{
	char *prog = xasprintf("%s/initdb", c->bindir);
	char *log = xasprintf("%s/initdb.log", c->dir);
	char *conf = xasprintf("%s/postgresql.conf", c->datadir);
	const char *const argv[] = { prog,
				     "-D",
				     c->datadir,
				     "-U",
				     "hotich",
				     "-E",
				     "UTF8",
				     "--locale=C",
				     "--lc-ctype=C.UTF-8",
				     "--auth-local=trust",
				     "--auth-host=scram-sha-256",
				     "--no-instructions",
				     NULL };
	FILE *f;
	int rc, ret = -1;

	log_info("initializing the local cluster in \"%s\"", c->datadir);
	rc = run_program(c, argv, log, e);
	if (rc != 0) {
		if (rc > 0) {
			strbuf msg = STRBUF_INIT;

			strbuf_addf(&msg, "initdb failed with exit code %d", rc);
			log_tail(log, &msg);
			herr_set(e, HT_EXIT_FATAL, "%s", msg.buf);
			strbuf_release(&msg);
		}
		goto cleanup;
	}
	f = fopen(conf, "a");
	if (!f ||
	    fputs("\n# hotich writes its own settings (socket, port, listener) here:\n"
		  "include_if_exists = 'hotich.conf'\n",
		  f) < 0 ||
	    fclose(f) != 0) {
		herr_set(e, HT_EXIT_FATAL, "could not update \"%s\": %s", conf, strerror(errno));
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(prog);
	free(log);
	free(conf);
	return ret;
}

static int create_database(const struct pg_cluster *c, int port, herr *e)
{
	char *conninfo = db_cluster_conninfo(c, port, "postgres");
	const char *const keys[] = { "dbname", "application_name", NULL };
	const char *const vals[] = { conninfo, "hotich", NULL };
	const char *const params[] = { "hotich" };
	strbuf val = STRBUF_INIT;
	PGconn *conn;
	int found, ret = -1;

	conn = PQconnectdbParams(keys, vals, 1);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		herr_set(e, HT_EXIT_FATAL, "could not connect to the local cluster: %s",
			 conn ? PQerrorMessage(conn) : "out of memory");
		goto cleanup;
	}
	found = db_query_value(conn, "SELECT 1 FROM pg_database WHERE datname = $1", 1, params,
			       &val, e);
	if (found < 0)
		goto cleanup;
	/* search_path set on the database too, so that psql finds the tables. */
	if (!found &&
	    (db_exec(conn, "CREATE DATABASE hotich TEMPLATE template0 ENCODING 'UTF8'", e) < 0 ||
	     db_exec(conn, "ALTER DATABASE hotich SET search_path TO hotich", e) < 0))
		goto cleanup;
	ret = 0;
cleanup:
	strbuf_release(&val);
	PQfinish(conn);
	free(conninfo);
	return ret;
}

/* Serialize start/stop between concurrent hotich processes. */
static int lock_cluster(const struct pg_cluster *c, herr *e)
{
	char *path = xasprintf("%s/hotich.lock", c->dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		herr_set(e, HT_EXIT_FATAL, "could not lock \"%s\": %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

static int prepare_dir(const struct pg_cluster *c, herr *e)
{
	struct stat sb;
	char *parent = xstrdup(c->dir);
	char *slash = strrchr(parent, '/');
	int ret = -1;

	if (slash)
		*slash = '\0';
	if (fs_mkdir_p(parent, 0755, e) < 0)
		goto cleanup;
	if (mkdir(c->dir, 0700) == 0) {
		if (chown_to_run_user(c, c->dir, e) < 0)
			goto cleanup;
	} else if (errno != EEXIST) {
		herr_set(e, HT_EXIT_FATAL, "could not create directory \"%s\": %s", c->dir,
			 strerror(errno));
		goto cleanup;
	}
	if (stat(c->dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		herr_set(e, HT_EXIT_FATAL, "\"%s\" is not a directory", c->dir);
		goto cleanup;
	}
	if (sb.st_uid != c->run_uid) {
		herr_set(e, HT_EXIT_FATAL,
			 "\"%s\" belongs to uid %u, but the cluster runs as uid %u", c->dir,
			 (unsigned)sb.st_uid, (unsigned)c->run_uid);
		goto cleanup;
	}
	ret = 0;
cleanup:
	free(parent);
	return ret;
}

int db_cluster_start(const struct pg_cluster *c, const char *listen, int *started, herr *e)
{
	struct db_cluster_state st;
	strbuf addr = STRBUF_INIT, conf = STRBUF_INIT, msg = STRBUF_INIT;
	char *conf_path = NULL, *prog = NULL, *ctl_log = NULL;
	int port, lock = -1, rc, ret = -1;

	*started = 0;
	if (parse_listen(listen, &addr, &port, e) < 0)
		goto cleanup;
	if (strlen(c->dir) + sizeof("/.s.PGSQL.65535") >
	    sizeof(((struct sockaddr_un *)0)->sun_path)) {
		herr_set(e, HT_EXIT_FATAL,
			 "the socket path under \"%s\" is too long for a unix socket (%zu bytes "
			 "of at most %zu): set HOTICH_HOME to a shorter directory",
			 c->dir, strlen(c->dir) + sizeof("/.s.PGSQL.65535") - 1,
			 sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
		goto cleanup;
	}
	if (prepare_dir(c, e) < 0)
		goto cleanup;
	lock = lock_cluster(c, e);
	if (lock < 0)
		goto cleanup;
	if (db_cluster_state(c, &st, e) < 0)
		goto cleanup;
	if (st.running) {
		if (listen && strcmp(st.listen, addr.buf) != 0)
			log_warning("the local cluster is already running (listening on \"%s\"); "
				    "stop it first for --listen to take effect",
				    st.listen);
		ret = create_database(c, st.port, e);
		goto cleanup;
	}
	if (!st.initialized && initdb(c, e) < 0)
		goto cleanup;

	strbuf_addstr(&conf, "# Written by hotich at each 'hotich db start'; put your own "
			     "settings in postgresql.conf.\nlisten_addresses = ");
	conf_quote(&conf, addr.buf);
	strbuf_addf(&conf, "\nport = %d\nunix_socket_directories = ", port);
	conf_quote(&conf, c->dir);
	strbuf_addstr(&conf, "\n");
	conf_path = xasprintf("%s/hotich.conf", c->datadir);
	if (write_owned_file(c, conf_path, conf.buf, e) < 0)
		goto cleanup;

	prog = xasprintf("%s/pg_ctl", c->bindir);
	ctl_log = xasprintf("%s/pg_ctl.log", c->dir);
	{
		const char *const argv[] = { prog, "start",    "-w", "-t",	 "120", "-s",
					     "-D", c->datadir, "-l", c->logfile, NULL };

		rc = run_program(c, argv, ctl_log, e);
	}
	if (rc != 0) {
		if (rc > 0) {
			strbuf_addf(&msg, "could not start the local cluster (pg_ctl exit code %d)",
				    rc);
			log_tail(c->logfile, &msg);
			herr_set(e, HT_EXIT_FATAL, "%s", msg.buf);
		}
		goto cleanup;
	}
	*started = 1;
	ret = create_database(c, port, e);
cleanup:
	if (lock >= 0)
		close(lock);
	strbuf_release(&addr);
	strbuf_release(&conf);
	strbuf_release(&msg);
	free(conf_path);
	free(prog);
	free(ctl_log);
	return ret;
}

int db_cluster_stop(const struct pg_cluster *c, int *stopped, herr *e)
{
	struct db_cluster_state st;
	char *prog = NULL, *ctl_log = NULL;
	int lock = -1, rc, ret = -1;

	*stopped = 0;
	if (db_cluster_state(c, &st, e) < 0)
		return -1;
	if (!st.running)
		return 0;
	lock = lock_cluster(c, e);
	if (lock < 0)
		return -1;
	prog = xasprintf("%s/pg_ctl", c->bindir);
	ctl_log = xasprintf("%s/pg_ctl.log", c->dir);
	{
		const char *const argv[] = { prog, "stop", "-w", "-t",	     "120", "-s",
					     "-m", "fast", "-D", c->datadir, NULL };

		rc = run_program(c, argv, ctl_log, e);
	}
	if (rc != 0) {
		if (rc > 0) {
			strbuf msg = STRBUF_INIT;

			strbuf_addf(&msg, "could not stop the local cluster (pg_ctl exit code %d)",
				    rc);
			log_tail(ctl_log, &msg);
			herr_set(e, HT_EXIT_FATAL, "%s", msg.buf);
			strbuf_release(&msg);
		}
		goto cleanup;
	}
	*stopped = 1;
	ret = 0;
cleanup:
	close(lock);
	free(prog);
	free(ctl_log);
	return ret;
}
