/*
 * records.c — records as `hotich ocr --json` prints them (one JSON object a
 * line), read into match queries: one per person of each document
 * (match_roles), with the fields of that person's role.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "match_internal.h"

/* a field's value in a record's "fields" object (a json_t *), or NULL */
static const char *field(void *ctx, const char *name)
{
	json_t *fields = ctx, *f, *v;

	if (!name || !fields)
		return NULL;
	f = json_object_get(fields, name);
	v = f ? json_object_get(f, "value") : NULL;
	return v && json_is_string(v) ? json_string_value(v) : NULL;
}

int match_records_read(const char *path, struct match_records *rs, long *bad, herr *e)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;

	if (!f)
		return herr_set(e, HT_EXIT_USAGE, "could not open \"%s\": %s", path,
				strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		json_error_t je;
		json_t *o, *fields;
		const char *ref, *doc_type;
		const struct match_role *roles;
		int nr;

		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		o = json_loads(line, 0, &je);
		ref = o ? json_string_value(json_object_get(o, "record_ref")) : NULL;
		doc_type = o ? json_string_value(json_object_get(o, "doc_type")) : NULL;
		if (!o || !ref || !doc_type) {
			log_error("%s: line %ld: %s", path, lineno,
				  o ? "no record_ref or doc_type" : je.text);
			json_decref(o);
			(*bad)++;
			continue;
		}
		fields = json_object_get(o, "fields");
		nr = match_roles(doc_type, &roles);
		rs->objs = xrealloc(rs->objs, (rs->nobjs + 1) * sizeof(*rs->objs));
		rs->objs[rs->nobjs++] = o;
		for (int k = 0; k < nr; k++) {
			const struct match_role *ro = &roles[k];
			struct match_query *q;

			rs->q = xrealloc(rs->q, (rs->n + 1) * sizeof(*rs->q));
			rs->refs = xrealloc(rs->refs, (rs->n + 1) * sizeof(*rs->refs));
			rs->refs[rs->n] = xasprintf("%s%s", ref, ro->suffix);
			q = &rs->q[rs->n++];
			memset(q, 0, sizeof(*q));
			q->ref = rs->refs[rs->n - 1];
			q->doc_type = doc_type;
			q->role = ro;
			match_role_fields(ro, field, fields, &q->f);
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return 0;
}

void match_records_release(struct match_records *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free(rs->refs[i]);
	for (size_t i = 0; i < rs->nobjs; i++)
		json_decref(rs->objs[i]);
	free(rs->refs);
	free(rs->q);
	free(rs->objs);
}
