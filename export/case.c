/*
 * case.c — one record through the template of its document type: the
 * row's cells, formatted as the template says, and the reasons to hold the
 * record back (Vietnamese first, English second).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../normalize/normalize.h"
#include "export_internal.h"

static void add_reason(struct export_case *c, const char *vi, const char *en)
{
	c->reasons = xrealloc(c->reasons, (c->nreasons + 1) * sizeof(*c->reasons));
	c->reasons[c->nreasons].vi = xstrdup(vi);
	c->reasons[c->nreasons].en = xstrdup(en);
	c->nreasons++;
}

void export_case_release(struct export_case *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ncells; i++)
		free(c->cells[i]);
	free(c->cells);
	for (size_t i = 0; i < c->nreasons; i++) {
		free(c->reasons[i].vi);
		free(c->reasons[i].en);
	}
	free(c->reasons);
	memset(c, 0, sizeof(*c));
}

/* The value of a field of the record: the columns of records for the
 * common fields, else fields.NAME.value (NULL when absent or illegible). */
static const char *field_value(const struct export_item *it, json_t *fields, const char *name)
{
	json_t *f, *v;

	if (!strcmp(name, "register_no"))
		return it->register_no;
	if (!strcmp(name, "registered_on"))
		return it->registered_on;
	if (!strcmp(name, "registry_office"))
		return it->office;
	if (!strcmp(name, "book_no"))
		return it->book;
	f = json_object_get(fields, name);
	v = json_is_object(f) ? json_object_get(f, "value") : NULL;
	return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

static const char *role_status(json_t *people, const char *role, const char **citizen)
{
	size_t i;
	json_t *p;

	*citizen = NULL;
	json_array_foreach(people, i, p)
	{
		json_t *r = json_object_get(p, "role");
		json_t *s = json_object_get(p, "status");
		json_t *c = json_object_get(p, "citizen");

		if (!json_is_string(r) || strcmp(json_string_value(r), role))
			continue;
		*citizen = json_is_string(c) ? json_string_value(c) : NULL;
		return json_is_string(s) ? json_string_value(s) : "";
	}
	return NULL;
}

/* Days from 1 March of year 0, for differences between full dates. */
static long day_number(int y, int m, int d)
{
	if (m < 3) {
		y--;
		m += 12;
	}
	return 365L * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d;
}

static int full_date(const char *s, struct vn_date *d)
{
	memset(d, 0, sizeof(*d));
	return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &d->year, &d->month, &d->day) == 3;
}

/* on_time, late or unknown: the days between the event and its registration. */
static const char *registration_kind(const struct export_item *it, json_t *fields)
{
	const char *event = NULL;
	struct vn_date a, b;
	long limit = 0, days;

	if (!strcmp(it->doc_type, "khai_sinh")) {
		event = field_value(it, fields, "dob");
		limit = 60;
	} else if (!strcmp(it->doc_type, "khai_tu")) {
		event = field_value(it, fields, "died_on");
		limit = 15;
	}
	if (!event || !full_date(event, &a) || !full_date(it->registered_on, &b))
		return "unknown";
	days = day_number(b.year, b.month, b.day) - day_number(a.year, a.month, a.day);
	if (days < 0)
		return "unknown";
	return days <= limit ? "on_time" : "late";
}

/* The value of a column from its first source that has one. */
static const char *column_value(const struct xcolumn *col, const struct export_item *it,
				json_t *fields, json_t *people)
{
	for (int k = 0; k < col->nsrc; k++) {
		const struct xsrc *s = &col->src[k];
		const char *v = NULL, *citizen;

		switch (s->kind) {
		case XSRC_NONE:
			break;
		case XSRC_FIELD:
			v = field_value(it, fields, s->name);
			break;
		case XSRC_BOOK:
			v = it->book;
			break;
		case XSRC_REG_KIND:
			v = registration_kind(it, fields);
			break;
		case XSRC_LINK: {
			const char *st = role_status(people, s->name, &citizen);

			if (st && (!strcmp(st, "auto") || !strcmp(st, "confirmed")))
				v = citizen;
			break;
		}
		}
		if (v && *v)
			return v;
	}
	return NULL;
}

/* Format `v` as the column wants it into `out`; -1 with the reason. */
static int format_value(const struct xcolumn *col, const char *v, strbuf *out,
			struct export_case *c)
{
	struct vn_date d = { 0, 0, 0 };
	char vi[256], en[256];

	switch (col->fmt) {
	case XF_TEXT:
		vn_nfc(v, -1, out); /* composed, as the template's software compares it */
		return 0;
	case XF_DATE:
	case XF_DATE_FULL:
	case XF_DATE_WORDS: {
		int n = sscanf(v, "%4d-%2d-%2d", &d.year, &d.month, &d.day);

		if (n < 1 || d.year < 1800) {
			snprintf(vi, sizeof(vi), "%s: ngày không đọc được (\"%s\")", col->label, v);
			snprintf(en, sizeof(en), "%s: unreadable date (\"%s\")", col->name, v);
			add_reason(c, vi, en);
			return -1;
		}
		if (col->fmt != XF_DATE && n < 3) {
			snprintf(vi, sizeof(vi), "%s: ngày không đầy đủ (%s)", col->label, v);
			snprintf(en, sizeof(en), "%s: partial date (%s)", col->name, v);
			add_reason(c, vi, en);
			return -1;
		}
		if (col->fmt == XF_DATE_WORDS) {
			vn_date_to_words(&d, out);
			/* "ngày ..." as the forms print it, capitalized */
			if (out->len && out->buf[0] == 'n')
				out->buf[0] = 'N';
		} else if (n == 3) {
			strbuf_addf(out, "%02d/%02d/%04d", d.day, d.month, d.year);
		} else if (n == 2) {
			strbuf_addf(out, "%02d/%04d", d.month, d.year);
		} else {
			strbuf_addf(out, "%04d", d.year);
		}
		return 0;
	}
	case XF_NUMBER: {
		size_t k = strspn(v, "0123456789");

		if (!k) {
			snprintf(vi, sizeof(vi), "%s: không có số (\"%s\")", col->label, v);
			snprintf(en, sizeof(en), "%s: no number (\"%s\")", col->name, v);
			add_reason(c, vi, en);
			return -1;
		}
		while (k > 1 && *v == '0') {
			v++;
			k--;
		}
		strbuf_add(out, v, k);
		return 0;
	}
	case XF_ID:
		if (strlen(v) != 12 || strspn(v, "0123456789") != 12) {
			snprintf(vi, sizeof(vi), "%s: không phải số định danh 12 chữ số (\"%s\")",
				 col->label, v);
			snprintf(en, sizeof(en), "%s: not a 12-digit ID number (\"%s\")", col->name,
				 v);
			add_reason(c, vi, en);
			return -1;
		}
		strbuf_addstr(out, v);
		return 0;
	case XF_MAP: {
		strbuf key = STRBUF_INIT;
		int rc = -1;

		vn_fold(v, -1, &key);
		for (size_t i = 0; i < col->map->n && rc < 0; i++)
			if (!strcmp(col->map->keys[i], key.buf)) {
				strbuf_addstr(out, col->map->codes[i]);
				rc = 0;
			}
		strbuf_release(&key);
		if (rc < 0) {
			snprintf(vi, sizeof(vi), "%s: \"%s\" không có trong danh mục %s",
				 col->label, v, col->map->name);
			snprintf(en, sizeof(en), "%s: \"%s\" is not in the code list %s", col->name,
				 v, col->map->name);
			add_reason(c, vi, en);
		}
		return rc;
	}
	}
	return -1;
}

/* The roles a document type's records have, for the link check. */
static const char *const *roles_of(const char *doc_type)
{
	static const char *const subject[] = { "subject", NULL };
	static const char *const spouses[] = { "husband", "wife", NULL };
	static const char *const recognition[] = { "parent", "child", NULL };

	if (!strcmp(doc_type, "ket_hon"))
		return spouses;
	if (!strcmp(doc_type, "nhan_cha_me_con"))
		return recognition;
	return subject;
}

int export_case_build(const struct export_templates *t, const struct export_item *it,
		      struct export_case *c, herr *e)
{
	const struct xtemplate *tp = export_template_find(t, it->doc_type);
	json_t *fields, *people;
	strbuf all = STRBUF_INIT, cell = STRBUF_INIT;
	char vi[512], en[512];

	memset(c, 0, sizeof(*c));
	if (!tp)
		return herr_set(e, HT_EXIT_USAGE, "record %ld: no export template for %s",
				it->record_id, it->doc_type ? it->doc_type : "?");
	fields = json_loads(it->fields ? it->fields : "{}", 0, NULL);
	people = json_loads(it->people ? it->people : "[]", 0, NULL);
	if (!json_is_object(fields)) {
		json_decref(fields);
		fields = json_object();
	}
	if (!json_is_array(people)) {
		json_decref(people);
		people = json_array();
	}

	/* fields flagged and not decided */
	{
		const char *name;
		json_t *f;

		json_object_foreach(fields, name, f)
		{
			if (json_is_true(json_object_get(f, "review"))) {
				json_t *why = json_object_get(f, "why");

				snprintf(vi, sizeof(vi),
					 "trường %s cần kiểm tra, chưa được quyết định", name);
				snprintf(en, sizeof(en),
					 "field %s flagged for review, not decided%s%s", name,
					 json_is_string(why) ? ": " : "",
					 json_is_string(why) ? json_string_value(why) : "");
				add_reason(c, vi, en);
			}
		}
	}
	/* the people: linked, or decided by a reviewer */
	for (const char *const *r = roles_of(it->doc_type); *r; r++) {
		const char *citizen, *st = role_status(people, *r, &citizen);

		if (!st)
			continue; /* not on the record: its name column says so */
		if (!strcmp(st, "auto") || !strcmp(st, "confirmed") || !strcmp(st, "rejected"))
			continue;
		snprintf(vi, sizeof(vi),
			 "người (%s) chưa được liên kết với cơ sở dữ liệu dân cư,"
			 " chưa được người duyệt quyết định (%s)",
			 *r, *st ? st : "chưa so khớp");
		snprintf(en, sizeof(en),
			 "person (%s) neither linked to the population database"
			 " nor decided by a reviewer (%s)",
			 *r, *st ? st : "not matched");
		add_reason(c, vi, en);
	}

	c->ncells = tp->nnames;
	c->cells = xcalloc(c->ncells, sizeof(char *));
	for (size_t k = 0; k < tp->ncols; k++) {
		const struct xcolumn *col = &tp->cols[k];
		const char *v = column_value(col, it, fields, people);

		strbuf_reset(&cell);
		if (v) {
			if (format_value(col, v, &cell, c) < 0)
				strbuf_reset(&cell);
		} else if (col->required) {
			snprintf(vi, sizeof(vi), "thiếu cột bắt buộc %s (%s)", col->label,
				 col->name);
			snprintf(en, sizeof(en), "mandatory column %s is empty", col->name);
			add_reason(c, vi, en);
		}
		c->cells[k] = xstrdup(cell.buf ? cell.buf : "");
		strbuf_add(&all, c->cells[k], strlen(c->cells[k]));
		strbuf_addch(&all, 0x1f);
	}
	for (size_t k = tp->ncols; k < c->ncells; k++)
		c->cells[k] = xstrdup(""); /* the status: the export fills it */
	sha256_mem(all.buf ? all.buf : "", all.len, c->sha256);
	strbuf_release(&all);
	strbuf_release(&cell);
	json_decref(fields);
	json_decref(people);
	return 0;
}
