/*
 * cmd_normalize.c — `hotich normalize name|date|id|place|text [--from ENC]
 * VALUE...`: the normalize stage for data cleaners and scripts.  One line
 * per value: normalized<TAB>folded key<TAB>warnings; an empty normalized
 * value when it cannot be read.  Values come from the arguments, or from
 * stdin one per line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../normalize/normalize.h"
#include "commands.h"

static const char normalize_usage[] =
    "Usage: hotich normalize name|date|id|place|text [OPTIONS] [VALUE...]\n"
    "\n"
    "Print, for each VALUE (or each line of stdin when there is none):\n"
    "  normalized<TAB>folded key<TAB>warnings\n"
    "The normalized value is empty when the value cannot be read (exit code 1).\n"
    "\n"
    "  name    canonical name (NFC, tone rule, title case); --split adds the\n"
    "          surname, middle and given name\n"
    "  date    ISO date (YYYY-MM-DD, YYYY-MM or YYYY) from digits or words;\n"
    "          \"DIGITS | WORDS\" checks that both agree\n"
    "  id      12-digit personal ID (or 9-digit CMND); --dob and --sex check it\n"
    "          and repair one misread digit when exactly one reading fits\n"
    "  place   canonical place (the units as printed); --split adds the province\n"
    "          code, the province since July 2025, the status of the unit as\n"
    "          printed (2025, pre2025, historical or unknown) and its unit or\n"
    "          units since July 2025 (several joined by \" | \")\n"
    "  text    canonical text; --repair also repairs OCR-damaged syllables\n"
    "\n"
    "Options:\n"
    "  --from ENC    the input is in ENC: utf8, tcvn3, vni, viqr, cp1258 or auto\n"
    "  --dob DATE    (id) the date of birth to check the ID against\n"
    "  --sex SEX     (id) nam or nu\n"
    "  --split       (name, place) more columns, as described above\n"
    "  --repair      (text) repair syllables that are not Vietnamese\n"
    "  --lexicon FILE  (text --repair) frequent words or names, one per line,\n"
    "                optionally followed by a tab and a count; ties of the\n"
    "                repair go to the more frequent word\n";

struct norm_opts {
	const char *kind;
	int from;
	struct vn_date dob;
	enum vn_sex sex;
	int split;
	int repair;
	struct vn_lexicon *lexicon;
};

static void print_row(const char *value, const char *key, unsigned warn)
{
	strbuf w = STRBUF_INIT;

	vn_warnings_format(warn, &w);
	printf("%s\t%s\t%s\n", value, key, w.buf);
	strbuf_release(&w);
}

/* Returns 1 when the value was read, 0 when not. */
static int normalize_one(const struct norm_opts *o, const char *raw, size_t len)
{
	strbuf in = STRBUF_INIT, out = STRBUF_INIT, key = STRBUF_INIT;
	unsigned warn = 0;
	int ok = 1;
	herr e = { 0 };

	if (o->from != VN_ENC_UTF8)
		vn_decode((enum vn_encoding)o->from, raw, len, &in, NULL, &warn);
	else
		strbuf_add(&in, raw, len);

	if (!strcmp(o->kind, "text")) {
		if (o->repair)
			vn_text_repair(in.buf, (ptrdiff_t)in.len, o->lexicon, &out, &warn);
		else
			vn_text_normalize(in.buf, (ptrdiff_t)in.len, &out, &warn);
		vn_fold(out.buf, (ptrdiff_t)out.len, &key);
		ok = out.len > 0;
		print_row(out.buf, key.buf, warn);
	} else if (!strcmp(o->kind, "name")) {
		struct vn_name n;

		ok = vn_name_parse(in.buf, &n, &warn) == 0;
		if (o->split) {
			strbuf w = STRBUF_INIT;

			vn_warnings_format(warn, &w);
			printf("%s\t%s\t%s\t%s\t%s\t%s\n", n.full, n.key, w.buf, n.surname,
			       n.middle, n.given);
			strbuf_release(&w);
		} else {
			print_row(n.full, n.key, warn);
		}
	} else if (!strcmp(o->kind, "date")) {
		struct vn_date d, words;
		char iso[16] = "";
		const char *bar = strchr(in.buf, '|');

		if (bar) {
			/* "15/03/1987 | ngày mười lăm tháng ba năm ..." */
			strbuf digits = STRBUF_INIT;
			herr e2 = { 0 };

			strbuf_add(&digits, in.buf, (size_t)(bar - in.buf));
			ok = vn_date_parse(digits.buf, &d, &warn, &e) == 0;
			if (vn_date_parse_words(bar + 1, &words, &warn, &e2) < 0 ||
			    (ok && vn_date_agree(&d, &words) == 0))
				warn |= VN_W_DATE_DISAGREE;
			strbuf_release(&digits);
		} else {
			ok = vn_date_parse(in.buf, &d, &warn, &e) == 0;
		}
		if (ok)
			vn_date_format(&d, iso, sizeof(iso));
		print_row(iso, iso, warn);
		if (!ok && e.msg[0])
			log_warning("\"%s\": %s", in.buf, e.msg);
	} else if (!strcmp(o->kind, "id")) {
		struct vn_id id, fixed;

		ok = vn_id_parse(in.buf, &id, &warn, &e) == 0;
		if (o->dob.year || o->sex) {
			char raw_digits[16] = "";
			size_t k = 0;

			for (const char *p = in.buf; *p && k < 13; p++)
				if (*p >= '0' && *p <= '9')
					raw_digits[k++] = *p;
			raw_digits[k < 13 ? k : 0] = '\0';
			if (vn_id_repair(ok ? &id : NULL, raw_digits, &o->dob, o->sex, &fixed)) {
				id = fixed;
				ok = 1;
				warn = (warn & ~VN_W_ID_INVALID) | VN_W_ID_REPAIRED;
			} else if (ok && !vn_id_consistent(&id, &o->dob, o->sex, &e)) {
				warn |= VN_W_ID_INCONSISTENT;
			}
		}
		print_row(ok ? id.digits : "", ok ? id.digits : "", warn);
		if (e.msg[0])
			log_warning("%s", e.msg);
	} else {
		struct vn_place pl;

		ok = vn_place_parse(in.buf, &pl, &warn) == 0;
		if (o->split) {
			strbuf w = STRBUF_INIT, now = STRBUF_INIT;

			vn_warnings_format(warn, &w);
			vn_place_now_format(&pl, &now);
			printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", pl.canonical, pl.key, w.buf,
			       pl.province_code, pl.province_now, vn_place_status_name(pl.status),
			       now.buf);
			strbuf_release(&w);
			strbuf_release(&now);
		} else {
			print_row(pl.canonical, pl.key, warn);
		}
	}
	strbuf_release(&in);
	strbuf_release(&out);
	strbuf_release(&key);
	return ok;
}

int cmd_normalize(int argc, char **argv, const struct global_opts *g)
{
	static const struct option opts[] = { { "from", required_argument, NULL, 'f' },
					      { "dob", required_argument, NULL, 'd' },
					      { "sex", required_argument, NULL, 's' },
					      { "split", no_argument, NULL, 'S' },
					      { "repair", no_argument, NULL, 'r' },
					      { "lexicon", required_argument, NULL, 'L' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	struct norm_opts o = { 0 };
	int c, failed = 0;
	herr e = { 0 };

	(void)g;
	o.from = VN_ENC_UTF8;
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(normalize_usage, stdout);
		return HT_EXIT_OK;
	}
	if (argc < 2)
		return usage_error("normalize",
				   "'normalize' needs a kind: name, date, id, place or text");
	o.kind = argv[1];
	if (strcmp(o.kind, "name") && strcmp(o.kind, "date") && strcmp(o.kind, "id") &&
	    strcmp(o.kind, "place") && strcmp(o.kind, "text"))
		return usage_error("normalize", "unknown kind '%s' (name, date, id, place or text)",
				   o.kind);
	argc--;
	argv++;
	while ((c = cmd_getopt(argc, argv, "normalize", NULL, opts, normalize_usage)) > 0) {
		switch (c) {
		case 'f':
			o.from = vn_encoding_parse(optarg);
			if (o.from < 0)
				return usage_error("normalize",
						   "unknown encoding '%s' (utf8, tcvn3, vni, viqr, "
						   "cp1258 or auto)",
						   optarg);
			break;
		case 'd':
			if (vn_date_parse(optarg, &o.dob, NULL, &e) < 0)
				return usage_error("normalize", "--dob '%s': %s", optarg, e.msg);
			break;
		case 's':
			o.sex = vn_sex_parse(optarg, NULL);
			if (o.sex == VN_SEX_UNKNOWN)
				return usage_error("normalize", "--sex must be nam or nu, not '%s'",
						   optarg);
			break;
		case 'S':
			o.split = 1;
			break;
		case 'r':
			o.repair = 1;
			break;
		case 'L':
			if (!o.lexicon)
				o.lexicon = vn_lexicon_new();
			if (vn_lexicon_read(optarg, o.lexicon, &e) < 0) {
				vn_lexicon_free(o.lexicon);
				return usage_error("normalize", "%s", e.msg);
			}
			break;
		}
	}
	if (c != -1)
		return cmd_opt_exit(c);
	if ((o.dob.year || o.sex) && strcmp(o.kind, "id")) {
		vn_lexicon_free(o.lexicon);
		return usage_error("normalize", "--dob and --sex go with 'normalize id'");
	}
	if (optind < argc) {
		for (; optind < argc; optind++)
			failed += !normalize_one(&o, argv[optind], strlen(argv[optind]));
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		while ((n = getline(&line, &cap, stdin)) >= 0) {
			while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				line[--n] = '\0';
			failed += !normalize_one(&o, line, (size_t)n);
		}
		free(line);
	}
	vn_lexicon_free(o.lexicon);
	if (fflush(stdout) != 0) {
		log_error("could not write the output");
		return HT_EXIT_FATAL;
	}
	return failed ? HT_EXIT_PARTIAL : HT_EXIT_OK;
}
