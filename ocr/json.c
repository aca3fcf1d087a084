/*
 * json.c — records as the contract's JSON: one object per line, fields
 * with value, conf, review and bbox (and why, when a person should look).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ocr_internal.h"

static json_t *field_json(const struct ocr_field *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "value", f->value ? json_string(f->value) : json_null());
	json_object_set_new(o, "conf", json_real((double)((int)(f->conf * 1000 + 0.5)) / 1000.0));
	json_object_set_new(o, "review", json_boolean(f->review));
	json_object_set_new(o, "bbox",
			    json_pack("[iiii]", f->bbox[0], f->bbox[1], f->bbox[2], f->bbox[3]));
	if (f->review && f->why)
		json_object_set_new(o, "why", json_string(f->why));
	if (f->warn) {
		strbuf w = STRBUF_INIT;

		vn_warnings_format(f->warn, &w);
		json_object_set_new(o, "warnings", json_string(w.buf));
		strbuf_release(&w);
	}
	return o;
}

static void emit(json_t *obj, strbuf *out)
{
	char *s = json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(6));

	if (s) {
		strbuf_addstr(out, s);
		strbuf_addch(out, '\n');
		free(s);
	}
	json_decref(obj);
}

static json_t *warnings_json(char *const *w, int n, char *const *w2, int n2)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(w[i]));
	for (i = 0; i < n2; i++)
		json_array_append_new(a, json_string(w2[i]));
	return a;
}

void ocr_page_json(const struct ocr_page *p, const char *path, const char *sha256, strbuf *out)
{
	double mc = (double)((int)(p->mean_conf * 1000 + 0.5)) / 1000.0;
	int i, k;

	if (!p->nrec) {
		char *ref = xasprintf("%s:%d:0", sha256, p->page_no);

		emit(json_pack("{s:s, s:s, s:i, s:s, s:{}, s:f, s:s, s:o, s:{s:i, s:f, s:s, s:i}}",
			       "record_ref", ref, "file", path, "page", p->page_no, "doc_type",
			       "unknown", "fields", "mean_conf", mc, "text", p->text.buf,
			       "warnings", warnings_json(p->warnings, p->nwarnings, NULL, 0),
			       "page_info", "rotation", p->rotation, "skew", p->skew_deg, "steps",
			       p->steps, "ms", (int)p->ms),
		     out);
		free(ref);
		return;
	}
	for (i = 0; i < p->nrec; i++) {
		const struct ocr_record *r = &p->rec[i];
		char *ref = xasprintf("%s:%d:%d", sha256, p->page_no, r->index);
		json_t *fields = json_object();

		for (k = 0; k < r->nfields; k++)
			json_object_set_new(fields, r->fields[k].name, field_json(&r->fields[k]));
		emit(json_pack("{s:s, s:s, s:i, s:s, s:o, s:f, s:s, s:o, s:{s:i, s:f, s:s, s:i}}",
			       "record_ref", ref, "file", path, "page", p->page_no, "doc_type",
			       r->doc_type, "fields", fields, "mean_conf",
			       (double)((int)(r->mean_conf * 1000 + 0.5)) / 1000.0, "text",
			       p->text.buf, "warnings",
			       warnings_json(r->warnings, r->nwarnings, p->warnings, p->nwarnings),
			       "page_info", "rotation", p->rotation, "skew", p->skew_deg, "steps",
			       p->steps, "ms", (int)p->ms),
		     out);
		free(ref);
	}
}
