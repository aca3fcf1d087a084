/*
 * csv.c — a streaming RFC 4180 reader: one record at a time, fields kept
 * in one buffer, so a registry of millions of rows reads in constant
 * memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define CSV_MAX_RECORD (1u << 20)

struct csv {
	FILE *f;
	int own;
	char *name;
	strbuf buf;  /* the fields, each NUL-terminated */
	size_t *off; /* field offsets into buf */
	int n, cap;
	long line;     /* the line the next record starts on */
	long rec_line; /* the line the current record started on */
	int bom_checked;
};

static struct csv *csv_new(FILE *f, const char *name, int own)
{
	struct csv *c = xcalloc(1, sizeof(*c));

	c->f = f;
	c->own = own;
	c->name = xstrdup(name);
	strbuf_init(&c->buf, 256);
	c->line = 1;
	return c;
}

struct csv *csv_open(const char *path, herr *e)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		herr_set(e, HT_EXIT_USAGE, "could not open \"%s\": %s", path, strerror(errno));
		return NULL;
	}
	return csv_new(f, path, 1);
}

struct csv *csv_from_stream(FILE *f, const char *name)
{
	return csv_new(f, name, 0);
}

static void end_field(struct csv *c)
{
	strbuf_addch(&c->buf, '\0');
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->off = xrealloc(c->off, (size_t)c->cap * sizeof(*c->off));
	}
	c->n++;
}

int csv_next(struct csv *c, herr *e)
{
	int ch, inq = 0, any = 0;
	size_t start = 0;

	strbuf_reset(&c->buf);
	c->n = 0;
	c->rec_line = c->line;
	if (!c->bom_checked) {
		c->bom_checked = 1;
		if ((ch = getc(c->f)) == 0xEF) {
			if (getc(c->f) != 0xBB || getc(c->f) != 0xBF)
				return herr_set(e, HT_EXIT_USAGE, "%s: line 1: not UTF-8 text",
						c->name);
		} else if (ch != EOF) {
			ungetc(ch, c->f);
		}
	}
	for (;;) {
		ch = getc(c->f);
		if (c->buf.len > CSV_MAX_RECORD)
			return herr_set(e, HT_EXIT_USAGE,
					"%s: line %ld: record longer than %u bytes", c->name,
					c->rec_line, CSV_MAX_RECORD);
		if (ch == EOF) {
			if (ferror(c->f))
				return herr_set(e, HT_EXIT_USAGE, "%s: line %ld: read error: %s",
						c->name, c->line, strerror(errno));
			if (inq)
				return herr_set(
				    e, HT_EXIT_USAGE,
				    "%s: line %ld: quoted field not closed at end of file", c->name,
				    c->rec_line);
			if (!any)
				return 0;
			break;
		}
		any = 1;
		if (inq) {
			if (ch == '"') {
				int nx = getc(c->f);

				if (nx == '"') {
					strbuf_addch(&c->buf, '"');
					continue;
				}
				inq = 0;
				if (nx != EOF)
					ungetc(nx, c->f);
				continue;
			}
			if (ch == '\n')
				c->line++;
			strbuf_addch(&c->buf, ch);
			continue;
		}
		if (ch == '"' && c->buf.len == start) {
			inq = 1;
			continue;
		}
		if (ch == ',') {
			end_field(c);
			c->off[c->n - 1] = start;
			start = c->buf.len;
			continue;
		}
		if (ch == '\r') {
			int nx = getc(c->f);

			if (nx != '\n' && nx != EOF)
				ungetc(nx, c->f);
			ch = '\n';
		}
		if (ch == '\n') {
			c->line++;
			/* a blank line is skipped, not a record of one empty field */
			if (!c->n && c->buf.len == 0) {
				c->rec_line = c->line;
				any = 0;
				continue;
			}
			break;
		}
		strbuf_addch(&c->buf, ch);
	}
	end_field(c);
	c->off[c->n - 1] = start;
	return 1;
}

int csv_nfields(const struct csv *c)
{
	return c->n;
}

const char *csv_field(const struct csv *c, int i)
{
	if (i < 0 || i >= c->n)
		return "";
	return c->buf.buf + c->off[i];
}

long csv_line(const struct csv *c)
{
	return c->rec_line;
}

int csv_column(const struct csv *c, const char *name)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(csv_field(c, i), name))
			return i;
	return -1;
}

void csv_close(struct csv *c)
{
	if (!c)
		return;
	if (c->own && c->f)
		fclose(c->f);
	strbuf_release(&c->buf);
	free(c->off);
	free(c->name);
	free(c);
}
