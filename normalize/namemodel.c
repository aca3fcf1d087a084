/*
 * namemodel.c — how often each word is a surname, a middle name or a
 * given name among a population's names (the citizen registry), with an
 * index by folded key so that a misread word ("Nguyên" read for "Nguyễn")
 * finds the forms it may stand for.
 *
 * Keys are "<part>|<lower-case canonical word>" for the counts of exact
 * forms and "<part>#<folded word>" for the folded index, whose entries
 * remember the key's total and its most frequent exact form.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "normalize_internal.h"

struct nm_entry {
	char *key;
	unsigned count;
	char *best; /* folded entries: the most frequent form (title case) */
	unsigned best_count;
};

struct vn_name_model {
	struct nm_entry *slots;
	size_t cap, n;
	struct vn_lexicon *words; /* every part together, for vn_text_repair */
	unsigned names;
};

static uint64_t nm_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct nm_entry *nm_find(const struct vn_name_model *m, const char *key)
{
	size_t i = (size_t)nm_hash(key) & (m->cap - 1);

	while (m->slots[i].key) {
		if (!strcmp(m->slots[i].key, key))
			return &m->slots[i];
		i = (i + 1) & (m->cap - 1);
	}
	return &m->slots[i];
}

static struct nm_entry *nm_get(struct vn_name_model *m, const char *key)
{
	struct nm_entry *e;

	if ((m->n + 1) * 2 > m->cap) {
		struct nm_entry *old = m->slots;
		size_t i, oldcap = m->cap;

		m->cap *= 2;
		m->slots = xcalloc(m->cap, sizeof(*m->slots));
		for (i = 0; i < oldcap; i++)
			if (old[i].key)
				*nm_find(m, old[i].key) = old[i];
		free(old);
	}
	e = nm_find(m, key);
	if (!e->key) {
		e->key = xstrdup(key);
		m->n++;
	}
	return e;
}

struct vn_name_model *vn_name_model_new(void)
{
	struct vn_name_model *m = xcalloc(1, sizeof(*m));

	m->cap = 1024;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	m->words = vn_lexicon_new();
	return m;
}

/* The exact and folded keys of a word (title case or not) at a part. */
static void keys(enum vn_name_part part, const char *word, strbuf *exact, strbuf *folded)
{
	strbuf norm = STRBUF_INIT;

	strbuf_reset(exact);
	strbuf_addf(exact, "%d|", (int)part);
	vn_text_normalize(word, -1, &norm, NULL);
	vn_case_map(norm.buf, (ptrdiff_t)norm.len, VN_CASE_LOWER, exact);
	if (folded) {
		strbuf_reset(folded);
		strbuf_addf(folded, "%d#", (int)part);
		vn_fold(norm.buf, (ptrdiff_t)norm.len, folded);
	}
	strbuf_release(&norm);
}

static void add_word(struct vn_name_model *m, enum vn_name_part part, const char *word,
		     unsigned count)
{
	strbuf ek = STRBUF_INIT, fk = STRBUF_INIT;
	struct nm_entry *e, *f;
	unsigned c;

	if (!*word)
		return;
	keys(part, word, &ek, &fk);
	e = nm_get(m, ek.buf);
	e->count += count;
	c = e->count;
	/* (inserting f may move e: only c is used below) */
	f = nm_get(m, fk.buf);
	f->count += count;
	if (c > f->best_count) {
		if (!f->best || strcmp(f->best, word)) {
			free(f->best);
			f->best = xstrdup(word);
		}
		f->best_count = c;
	}
	strbuf_release(&ek);
	strbuf_release(&fk);
}

void vn_name_model_add(struct vn_name_model *m, const char *full_name, unsigned count)
{
	struct vn_name n;
	char *copy, *save = NULL, *w;

	if (vn_name_parse(full_name, &n, NULL) < 0 || n.words < 2)
		return;
	m->names += count;
	add_word(m, VN_PART_SURNAME, n.surname, count);
	add_word(m, VN_PART_GIVEN, n.given, count);
	copy = xstrdup(n.middle);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		add_word(m, VN_PART_MIDDLE, w, count);
	free(copy);
	copy = xstrdup(n.full);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		vn_lexicon_add(m->words, w, count);
	free(copy);
}

unsigned vn_name_model_count(const struct vn_name_model *m, enum vn_name_part part,
			     const char *word)
{
	strbuf ek = STRBUF_INIT;
	unsigned c;

	if (!m)
		return 0;
	keys(part, word, &ek, NULL);
	c = nm_find(m, ek.buf)->count;
	strbuf_release(&ek);
	return c;
}

unsigned vn_name_model_best(const struct vn_name_model *m, enum vn_name_part part, const char *word,
			    strbuf *out, unsigned *total)
{
	strbuf ek = STRBUF_INIT, fk = STRBUF_INIT;
	const struct nm_entry *f;
	unsigned c = 0;

	if (total)
		*total = 0;
	if (!m)
		return 0;
	keys(part, word, &ek, &fk);
	f = nm_find(m, fk.buf);
	if (f->key && f->best) {
		strbuf_addstr(out, f->best);
		c = f->best_count;
		if (total)
			*total = f->count;
	}
	strbuf_release(&ek);
	strbuf_release(&fk);
	return c;
}

unsigned vn_name_model_names(const struct vn_name_model *m)
{
	return m ? m->names : 0;
}

const struct vn_lexicon *vn_name_model_lexicon(const struct vn_name_model *m)
{
	return m ? m->words : NULL;
}

void vn_name_model_free(struct vn_name_model *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		free(m->slots[i].best);
	}
	free(m->slots);
	vn_lexicon_free(m->words);
	free(m);
}

/* ------------------------------------------------------------------------
 * The built-in model
 * ---------------------------------------------------------------------- */

static struct vn_name_model *builtin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

/*
 * Count the middle and given names of a list ("Thanh Huyền", "Huyền"): the
 * last word is a given name, the words before it middle names.
 */
static void add_list(struct vn_name_model *m, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n'), *end = eol ? eol : p + strlen(p);
		char *line = xstrndup(p, (size_t)(end - p)), *save = NULL, *w, *last = NULL;

		for (w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
			if (last) {
				add_word(m, VN_PART_MIDDLE, last, 1);
				vn_lexicon_add(m->words, last, 1);
			}
			last = w;
		}
		if (last) {
			add_word(m, VN_PART_GIVEN, last, 1);
			vn_lexicon_add(m->words, last, 1);
			m->names++;
		}
		free(line);
		p = eol ? eol + 1 : end;
	}
}

/* "Nguyễn<TAB>3840" lines (and # comments): words of a part by weight. */
static void add_weighted(struct vn_name_model *m, enum vn_name_part part, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n'), *end = eol ? eol : p + strlen(p);
		char *line = xstrndup(p, (size_t)(end - p)), *tab = strchr(line, '\t');

		if (line[0] != '#' && tab) {
			unsigned long share = strtoul(tab + 1, NULL, 10);

			*tab = '\0';
			if (share) {
				add_word(m, part, line, (unsigned)share);
				vn_lexicon_add(m->words, line, (unsigned)share);
			}
		}
		free(line);
		p = eol ? eol + 1 : end;
	}
}

static void builtin_build(void)
{
	builtin = vn_name_model_new();
	add_weighted(builtin, VN_PART_SURNAME, vn_names_surnames);
	add_weighted(builtin, VN_PART_MIDDLE, vn_names_middles);
	add_list(builtin, vn_names_boy);
	add_list(builtin, vn_names_girl);
}

const struct vn_name_model *vn_name_model_builtin(void)
{
	pthread_once(&builtin_once, builtin_build);
	return builtin;
}
