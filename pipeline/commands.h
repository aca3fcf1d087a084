/*
 * commands.h — the command table of the hotich program.  Each subcommand
 * is one cmd_*.c file; hotich.c parses the global options and dispatches.
 */
#ifndef HOTICH_COMMANDS_H
#define HOTICH_COMMANDS_H

#include "../common/common.h"
#include "../loaders/loaders.h"

/* Options given before the subcommand (hotich [OPTIONS] COMMAND ...). */
struct global_opts {
	const char *db; /* --db CONNINFO, or NULL */
};

/*
 * A subcommand: argv[0] is its name; it parses its own options with
 * getopt_long (optind reset) and returns an HT_EXIT_* code.
 */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv, const struct global_opts *g);
	const char *args;    /* synopsis after the name, for --help */
	const char *summary; /* one line, for --help */
};

int cmd_db(int argc, char **argv, const struct global_opts *g);
int cmd_normalize(int argc, char **argv, const struct global_opts *g);
int cmd_ocr(int argc, char **argv, const struct global_opts *g);
int cmd_link(int argc, char **argv, const struct global_opts *g);
int cmd_registry(int argc, char **argv, const struct global_opts *g);
int cmd_inventory(int argc, char **argv, const struct global_opts *g);
int cmd_run(int argc, char **argv, const struct global_opts *g);
int cmd_worker(int argc, char **argv, const struct global_opts *g);
int cmd_match(int argc, char **argv, const struct global_opts *g);
int cmd_report(int argc, char **argv, const struct global_opts *g);
int cmd_find(int argc, char **argv, const struct global_opts *g);
int cmd_export(int argc, char **argv, const struct global_opts *g);
int cmd_serve(int argc, char **argv, const struct global_opts *g);
int cmd_user(int argc, char **argv, const struct global_opts *g);

/*
 * cmd_db_open: the database of --db (else the contract's order, see
 * db_target_resolve), opened with db_open's `flags`; NULL with `e` set.
 * CMD_DB_USE: what a command that reads or writes the data asks (the local
 * cluster started and its schema brought up, a schema that fits).
 */
#define CMD_DB_USE (DB_OPEN_START_LOCAL | DB_OPEN_MIGRATE_LOCAL | DB_OPEN_CHECK_SCHEMA)
PGconn *cmd_db_open(const struct global_opts *g, unsigned flags, herr *e);

/*
 * usage_error: print "hotich: error: MSG" and "Try 'hotich CMD --help'."
 * and return HT_EXIT_USAGE.
 */
int usage_error(const char *cmd, const char *fmt, ...) HT_PRINTF(2, 3);

/*
 * cmd_getopt: getopt_long for a command, from its first argument (the
 * first call with an argv starts over): "-h" and `shortopts` (besides -h)
 * and `opts`.  Returns the option's value; -1 after the last option;
 * CMD_OPT_HELP after printing `usage` on stdout; CMD_OPT_BAD after the
 * usage error of a missing argument or an unknown option.  cmd_opt_exit
 * gives the exit code of those two (HT_EXIT_OK, HT_EXIT_USAGE).
 */
#define CMD_OPT_HELP (-2)
#define CMD_OPT_BAD  (-3)
struct option;
int cmd_getopt(int argc, char **argv, const char *cmd, const char *shortopts,
	       const struct option *opts, const char *usage);
int cmd_opt_exit(int c);

/* cmd_opt_thresholds: "AUTO,REVIEW" into th[0], th[1] (0 < REVIEW <= AUTO
 * <= 1); -1 after the usage error. */
int cmd_opt_thresholds(const char *cmd, const char *arg, double th[2]);

#endif
