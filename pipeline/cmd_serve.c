/*
 * cmd_serve.c — `hotich serve` (the review and dashboard web application)
 * and `hotich user add|disable` (its users).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../loaders/loaders.h"
#include "../web/web.h"
#include "commands.h"

static const char serve_usage[] =
    "usage: hotich serve [--listen ADDR:PORT] [--trusted-proxy ADDR] [--threads N]\n"
    "                    [--secure-cookie] [--idle-timeout S] [--session-max S]\n"
    "                    [--lease S]\n"
    "\n"
    "Serve the review queue (role reviewer), the progress dashboard (role\n"
    "manager) and the audit log (role admin) over HTTP.  Binds to\n"
    "127.0.0.1:8080 unless --listen says otherwise; put a TLS reverse proxy in\n"
    "front of it (and pass --secure-cookie) before opening it to a network.\n"
    "\n"
    "  --listen ADDR:PORT   numeric address and port ([::1]:8080 for IPv6)\n"
    "  --trusted-proxy ADDR the reverse proxy in front (numeric address; up to 4\n"
    "                       times): only for requests from it is the client's\n"
    "                       address taken from X-Forwarded-For\n"
    "  --threads N          request threads, each with its own database\n"
    "                       connection (default 4)\n"
    "  --secure-cookie      mark the session cookie Secure (served behind TLS)\n"
    "  --idle-timeout S     a session unused this long ends (default 1800)\n"
    "  --session-max S      a session ends this long after login (default 43200)\n"
    "  --lease S            how long a reviewer holds a review item (default 900)\n"
    "\n"
    "Users are created with 'hotich user add'.  Stops on SIGINT or SIGTERM.\n";

int cmd_serve(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "listen", required_argument, NULL, 'l' },
					      { "threads", required_argument, NULL, 't' },
					      { "secure-cookie", no_argument, NULL, 's' },
					      { "idle-timeout", required_argument, NULL, 'i' },
					      { "session-max", required_argument, NULL, 'm' },
					      { "lease", required_argument, NULL, 'L' },
					      { "trusted-proxy", required_argument, NULL, 'P' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct web_options o;
	struct db_target t = { 0 };
	herr e = { 0 };
	long v;
	int c, rc = HT_EXIT_OK;

	web_options_init(&o);
	while ((c = cmd_getopt(argc, argv, "serve", NULL, opts, serve_usage)) > 0) {
		switch (c) {
		case 'l':
			if (web_parse_listen(&o, optarg, &e) < 0)
				return usage_error("serve", "%s", e.msg);
			break;
		case 't':
			if (parse_int(optarg, 1, 64, &v) < 0)
				return usage_error("serve", "--threads must be 1 to 64");
			o.threads = (int)v;
			break;
		case 's':
			o.secure_cookie = 1;
			break;
		case 'i':
			if (parse_int(optarg, 1, 7 * 86400, &v) < 0)
				return usage_error("serve", "--idle-timeout must be 1 to 604800");
			o.idle_s = (int)v;
			break;
		case 'm':
			if (parse_int(optarg, 1, 30 * 86400, &v) < 0)
				return usage_error("serve", "--session-max must be 1 to 2592000");
			o.absolute_s = (int)v;
			break;
		case 'L':
			if (parse_int(optarg, 5, 86400, &v) < 0)
				return usage_error("serve", "--lease must be 5 to 86400");
			o.lease_s = (int)v;
			break;
		case 'P':
			if (web_add_trusted_proxy(&o, optarg, &e) < 0)
				return usage_error("serve", "%s", e.msg);
			break;
		}
	}
	if (c != -1)
		return cmd_opt_exit(c);
	if (optind != argc)
		return usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if (db_target_resolve(&t, g->db, &e) < 0)
		return log_herr(&e);
	if (web_serve(&t, &o, &e) < 0)
		rc = log_herr(&e);
	db_target_release(&t);
	return rc;
}

static const char user_usage[] =
    "usage: hotich user add NAME --role reviewer|manager|admin [--office NAME] [--replace]\n"
    "       hotich user disable NAME\n"
    "\n"
    "Create a user of the web application.  The password is read from standard\n"
    "input (one line) or, on a terminal, prompted for twice without echo; it is\n"
    "never taken from the command line.  It must have at least 12 characters,\n"
    "not be a common password (nor one with digits added) and not contain the\n"
    "user name.  It is stored as an Argon2id hash.  'disable' ends the user's\n"
    "sessions and frees the review items the user held.\n"
    "\n"
    "  --role ROLE     reviewer (review queue), manager (dashboard) or admin (both,\n"
    "                  and the audit log)\n"
    "  --office NAME   limit the user's review work to one registry office\n"
    "  --replace       the user exists: set a new password and role (ends the\n"
    "                  user's sessions)\n";

/* read_password: one line from stdin, or a prompt on a terminal. */
static int read_password(char *buf, size_t size, herr *e)
{
	int tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	char again[1100];
	size_t n;

	if (tty) {
		if (tcgetattr(STDIN_FILENO, &old) < 0)
			return herr_set(e, HT_EXIT_FATAL, "cannot read the terminal");
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		fputs("Password: ", stderr);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	if (!fgets(buf, (int)size, stdin)) {
		if (tty)
			tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		return herr_set(e, HT_EXIT_USAGE, "no password given on standard input");
	}
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	if (tty) {
		fputs("\nAgain: ", stderr);
		if (!fgets(again, sizeof(again), stdin))
			again[0] = '\0';
		again[strcspn(again, "\r\n")] = '\0';
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputs("\n", stderr);
		if (strcmp(buf, again)) {
			memset(again, 0, sizeof(again));
			return herr_set(e, HT_EXIT_USAGE, "the two passwords differ");
		}
		memset(again, 0, sizeof(again));
	}
	return 0;
}

int cmd_user(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "role", required_argument, NULL, 'r' },
					      { "office", required_argument, NULL, 'o' },
					      { "replace", no_argument, NULL, 'R' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	const char *role = NULL, *office = NULL, *action, *name;
	char password[1100];
	PGconn *conn = NULL;
	herr e = { 0 };
	int c, replace = 0, rc = HT_EXIT_OK;

	while ((c = cmd_getopt(argc, argv, "user", NULL, opts, user_usage)) > 0) {
		switch (c) {
		case 'r':
			role = optarg;
			break;
		case 'o':
			office = optarg;
			break;
		case 'R':
			replace = 1;
			break;
		}
	}
	if (c != -1)
		return cmd_opt_exit(c);
	if (argc - optind != 2)
		return usage_error("user", "expected 'add NAME' or 'disable NAME'");
	action = argv[optind];
	name = argv[optind + 1];
	if (!strcmp(action, "add")) {
		if (!role)
			return usage_error("user", "--role reviewer, manager or admin is required");
	} else if (strcmp(action, "disable")) {
		return usage_error("user", "unknown action '%s' (add or disable)", action);
	}
	conn = cmd_db_open(g, CMD_DB_USE, &e);
	if (!conn) {
		rc = log_herr(&e);
		goto done;
	}
	if (!strcmp(action, "add")) {
		if (read_password(password, sizeof(password), &e) < 0 ||
		    web_user_add(conn, name, role, office, password, replace, &e) < 0) {
			rc = log_herr(&e);
		} else {
			printf("user %s %s (role %s%s%s)\n", name, replace ? "set" : "added", role,
			       office ? ", office " : "", office ? office : "");
		}
		memset(password, 0, sizeof(password));
	} else if (web_user_disable(conn, name, &e) < 0) {
		rc = log_herr(&e);
	} else {
		printf("user %s disabled; their sessions have ended\n", name);
	}
done:
	if (conn)
		db_close(conn);
	return rc;
}
