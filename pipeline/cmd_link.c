/*
 * cmd_link.c — `hotich link --registry FILE.csv RECORDS.jsonl`: match the
 * people of records (`hotich ocr --json` output) against a registry CSV,
 * without a database; one CSV row per person.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../match/match.h"
#include "commands.h"

static const char link_usage[] =
    "usage: hotich link --registry FILE.csv [OPTIONS] RECORDS.jsonl\n"
    "\n"
    "Match each person of the records (one JSON object per line, as `hotich ocr\n"
    "--json` prints them) against the citizen registry, and print CSV:\n"
    "record_ref,citizen_id,score,status (status auto, review or none; score the\n"
    "probability that the citizen is the person).\n"
    "\n"
    "  --registry FILE      the registry CSV (UTF-8, or TCVN3/VNI detected)\n"
    "  --thresholds A,R     automatic and review thresholds (default 0.99,0.50)\n"
    "  --explain            add a column with each comparison's weight\n"
    "  --model FILE         use a saved model (no estimation)\n"
    "  --save-model FILE    write the model used (JSON, with its version)\n"
    "  --discrepancies FILE automatic links whose fields disagree (CSV)\n"
    "  --match-share S      the share of records whose person is in the registry\n"
    "                       (0 < S < 1; default: estimated with the model)\n"
    "  --block-cap N        blocks of more citizens are skipped, and counted (1000)\n"
    "  --candidates N       candidates of one person at most, the smallest blocks\n"
    "                       first; the rest skipped, and counted (2000)\n"
    "  --jobs N             comparison threads (default 1)\n"
    "\n"
    "With -v, the candidates each blocking rule brought.\n";

static void csv_quote(strbuf *out, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		strbuf_addstr(out, s);
		return;
	}
	strbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, *s);
	}
	strbuf_addch(out, '"');
}

static int write_file(const char *path, const strbuf *text, herr *e)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(text->buf, 1, text->len, f) != text->len) {
		if (f)
			fclose(f);
		return herr_set(e, HT_EXIT_FATAL, "could not write \"%s\": %s", path,
				strerror(errno));
	}
	if (fclose(f) != 0)
		return herr_set(e, HT_EXIT_FATAL, "could not write \"%s\": %s", path,
				strerror(errno));
	return 0;
}

int cmd_link(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "registry", required_argument, NULL, 'r' },
					      { "thresholds", required_argument, NULL, 't' },
					      { "explain", no_argument, NULL, 'x' },
					      { "model", required_argument, NULL, 'm' },
					      { "save-model", required_argument, NULL, 's' },
					      { "discrepancies", required_argument, NULL, 'd' },
					      { "block-cap", required_argument, NULL, 'b' },
					      { "candidates", required_argument, NULL, 'c' },
					      { "match-share", required_argument, NULL, 'S' },
					      { "jobs", required_argument, NULL, 'j' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	const char *registry = NULL, *model_path = NULL, *save_model = NULL, *disc_path = NULL;
	double t_auto = -1, t_review = -1;
	int explain = 0, c, rc = HT_EXIT_OK;
	struct match_options mo;
	struct match_model model;
	struct match_registry *reg = NULL;
	struct match_result *res = NULL;
	struct match_stats st;
	struct match_records rs = { 0 };
	long rejected = 0, bad = 0, loaded, n_auto = 0, n_review = 0, n_none = 0;
	strbuf out = STRBUF_INIT, disc = STRBUF_INIT;
	herr e = { 0 };
	long v;

	(void)g;
	match_options_init(&mo);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			registry = optarg;
			break;
		case 't': {
			char *end;

			t_auto = strtod(optarg, &end);
			if (*end != ',')
				return usage_error("link", "--thresholds takes AUTO,REVIEW");
			t_review = strtod(end + 1, &end);
			if (*end || !(t_review > 0 && t_review <= t_auto && t_auto <= 1))
				return usage_error(
				    "link", "--thresholds: 0 < REVIEW <= AUTO <= 1 expected");
			break;
		}
		case 'x':
			explain = 1;
			break;
		case 'm':
			model_path = optarg;
			break;
		case 's':
			save_model = optarg;
			break;
		case 'd':
			disc_path = optarg;
			break;
		case 'b':
			if (parse_int(optarg, 1, 10000000, &v) < 0)
				return usage_error("link", "--block-cap must be a positive number");
			mo.block_cap = (int)v;
			break;
		case 'c':
			if (parse_int(optarg, 1, 10000000, &v) < 0)
				return usage_error("link", "--candidates must be a positive number");
			mo.candidate_budget = (int)v;
			break;
		case 'S': {
			char *end;

			mo.match_share = strtod(optarg, &end);
			if (*end || !(mo.match_share > 0 && mo.match_share < 1))
				return usage_error("link", "--match-share: 0 < S < 1 expected");
			break;
		}
		case 'j':
			if (parse_int(optarg, 1, 256, &v) < 0)
				return usage_error("link", "--jobs must be 1..256");
			mo.threads = (int)v;
			break;
		case 'h':
			fputs(link_usage, stdout);
			return HT_EXIT_OK;
		case ':':
			return usage_error("link", "option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			return usage_error("link", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!registry)
		return usage_error("link", "--registry FILE.csv is required");
	if (optind != argc - 1)
		return usage_error("link", "one RECORDS.jsonl file expected (or - for stdin)");

	if (model_path && mo.match_share >= 0)
		return usage_error("link", "--match-share with --model: the model has its own");
	match_model_defaults(&model);
	if (model_path) {
		strbuf text = STRBUF_INIT;

		if (fs_read_file(model_path, 16 << 20, &text, &e) < 0 ||
		    match_model_from_json(&model, text.buf, &e) < 0) {
			strbuf_release(&text);
			return usage_error("link", "%s", e.msg);
		}
		strbuf_release(&text);
		mo.estimate = 0;
	}
	if (t_auto >= 0) {
		model.auto_threshold = t_auto;
		model.review_threshold = t_review;
	}
	if (match_records_read(argv[optind], &rs, &bad, &e) < 0) {
		rc = usage_error("link", "%s", e.msg);
		goto done;
	}
	reg = match_registry_new();
	loaded = match_registry_load_csv(reg, registry, &rejected, &e);
	if (loaded < 0) {
		rc = usage_error("link", "%s", e.msg);
		goto done;
	}
	match_registry_index(reg);
	res = xcalloc(rs.n ? rs.n : 1, sizeof(*res));
	if (match_link(reg, &model, rs.q, rs.n, &mo, res, &st, &e) < 0) {
		rc = log_herr(&e);
		goto done;
	}

	strbuf_addstr(&out, explain ? "record_ref,citizen_id,score,status,explanation\n"
				    : "record_ref,citizen_id,score,status\n");
	if (disc_path)
		strbuf_addstr(&disc, "record_ref,citizen_id,field,record,registry\n");
	for (size_t i = 0; i < rs.n; i++) {
		const struct match_result *r = &res[i];
		const char *id = r->citizen >= 0 ? match_registry_id(reg, (size_t)r->citizen) : "";

		csv_quote(&out, rs.q[i].ref);
		strbuf_addf(&out, ",%s,%.4f,%s", id, r->score, r->status);
		if (explain) {
			strbuf x = STRBUF_INIT;

			match_explain(r, &x);
			if (r->why)
				strbuf_addf(&x, "; %s", r->why);
			strbuf_addch(&out, ',');
			csv_quote(&out, x.buf);
			strbuf_release(&x);
		}
		strbuf_addch(&out, '\n');
		n_auto += !strcmp(r->status, "auto");
		n_review += !strcmp(r->status, "review");
		n_none += !strcmp(r->status, "none");
		if (disc_path && !strcmp(r->status, "auto")) {
			strbuf d = STRBUF_INIT;
			char *save = NULL, *line;

			match_discrepancies(reg, &rs.q[i], r, &d);
			for (line = strtok_r(d.buf, "\n", &save); line;
			     line = strtok_r(NULL, "\n", &save)) {
				char *colon = strstr(line, ": "), *slash = strstr(line, " / ");

				if (!colon || !slash)
					continue;
				*colon = *slash = '\0';
				csv_quote(&disc, rs.q[i].ref);
				strbuf_addf(&disc, ",%s,%s,", id, line);
				csv_quote(&disc, colon + 2);
				strbuf_addch(&disc, ',');
				csv_quote(&disc, slash + 3);
				strbuf_addch(&disc, '\n');
			}
			strbuf_release(&d);
		}
	}
	fwrite(out.buf, 1, out.len, stdout);
	if (fflush(stdout) != 0) {
		rc = log_herr(&e);
		goto done;
	}
	if (disc_path && write_file(disc_path, &disc, &e) < 0) {
		rc = log_herr(&e);
		goto done;
	}
	if (save_model) {
		strbuf mj = STRBUF_INIT;

		match_model_json(&model, &mj);
		strbuf_addch(&mj, '\n');
		if (write_file(save_model, &mj, &e) < 0)
			rc = log_herr(&e);
		strbuf_release(&mj);
	}
	log_info("link: %zu people of %zu records against %ld citizens (%ld rows rejected); "
		 "%ld pairs compared, %ld blocks over %d skipped, %ld people over %d candidates; "
		 "model %s (people in the registry %.3f, %s; prior %.3g, EM %d iterations); "
		 "auto %ld, review %ld, none %ld",
		 rs.n, rs.nobjs, loaded, rejected, st.pairs, st.capped_blocks, mo.block_cap,
		 st.over_budget, mo.candidate_budget, model.version, model.match_share,
		 model.share_given ? "given" : mo.estimate ? "estimated" : "of the model",
		 model.lambda, model.em_iterations, n_auto, n_review, n_none);
	for (int k = 0; k < MR_N; k++)
		log_debug("link: blocking rule \"%s\": %ld candidates, %ld blocks over %d",
			  match_rule_name((enum match_rule)k), st.rule_pairs[k], st.rule_capped[k],
			  mo.block_cap);
	if (rc == HT_EXIT_OK && (bad || rejected))
		rc = HT_EXIT_PARTIAL;
done:
	strbuf_release(&out);
	strbuf_release(&disc);
	free(res);
	match_registry_free(reg);
	match_records_release(&rs);
	return rc;
}
