/*
 * options.c — what every command's option parsing shares: getopt_long
 * with the same --help and the same two usage errors, and the option
 * values more than one command takes (--thresholds).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"

int cmd_getopt(int argc, char **argv, const char *cmd, const char *shortopts,
	       const struct option *opts, const char *usage)
{
	static char **parsing;
	char spec[16];
	int c;

	if (argv != parsing) { /* a command's first call: from its first argument */
		parsing = argv;
		opterr = 0;
		optind = 0;
	}
	snprintf(spec, sizeof(spec), ":h%s", shortopts ? shortopts : "");
	c = getopt_long(argc, argv, spec, opts, NULL);
	switch (c) {
	case -1:
		parsing = NULL;
		return -1;
	case 'h':
		parsing = NULL;
		fputs(usage, stdout);
		return CMD_OPT_HELP;
	case ':':
		parsing = NULL;
		usage_error(cmd, "option '%s' needs an argument", argv[optind - 1]);
		return CMD_OPT_BAD;
	case '?':
		parsing = NULL;
		usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		return CMD_OPT_BAD;
	default:
		return c;
	}
}

int cmd_opt_exit(int c)
{
	return c == CMD_OPT_HELP ? HT_EXIT_OK : HT_EXIT_USAGE;
}

int cmd_opt_thresholds(const char *cmd, const char *arg, double th[2])
{
	char *end;

	th[0] = strtod(arg, &end);
	if (end == arg || *end != ',')
		return usage_error(cmd, "--thresholds takes AUTO,REVIEW"), -1;
	th[1] = strtod(end + 1, &end);
	if (*end || !(th[1] > 0 && th[1] <= th[0] && th[0] <= 1))
		return usage_error(cmd, "--thresholds: 0 < REVIEW <= AUTO <= 1 expected"), -1;
	return 0;
}
