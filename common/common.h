/*
 * common.h — helpers shared by every stage of hotich: exit codes, the error
 * context that carries a failure from a stage to `main`, logging to stderr,
 * a growable string buffer and checked allocation.
 *
 * Conventions (see ../README.md, "Code conventions"):
 *   - a function that can fail returns 0 on success and -1 on failure, and
 *     fills the caller's `herr` with a message and the exit code the failure
 *     deserves; only `main` decides to exit;
 *   - messages are lower case, without a final period, and name the file,
 *     page, line or field they are about;
 *   - one lifecycle vocabulary: x_new / x_free for an object on the heap
 *     (x_free accepts NULL); x_init / x_release for a struct the caller
 *     owns and what it holds (x_release leaves it zeroed, so a second call
 *     does nothing); x_open / x_close for a handle on something outside
 *     the process (a file, a connection, a cluster).
 */
#ifndef HOTICH_COMMON_H
#define HOTICH_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define HOTICH_VERSION "0.1.0"

/* Exit codes of every subcommand (../shared/CONTRACT.md). */
enum {
	HT_EXIT_OK = 0,	     /* everything asked was done */
	HT_EXIT_PARTIAL = 1, /* done, some inputs rejected (each named) */
	HT_EXIT_USAGE = 2,   /* bad flag, missing argument */
	HT_EXIT_FATAL = 3    /* cannot proceed: database, schema, disk */
};

#if defined(__GNUC__)
#define HT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define HT_NORETURN	__attribute__((noreturn))
#else
#define HT_PRINTF(f, a)
#define HT_NORETURN
#endif

#define HT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------
 * Error context
 * ---------------------------------------------------------------------- */

typedef struct herr {
	int code;	/* HT_EXIT_* the failure deserves; 0 when clear */
	char msg[1024]; /* "could not open file "x.tif": No such file" */
} herr;

/*
 * herr_set: record a failure.  Returns -1 so that callers can write
 * `return herr_set(e, HT_EXIT_FATAL, "...")`.  `e` may be NULL, in which
 * case the message is dropped.
 */
int herr_set(herr *e, int code, const char *fmt, ...) HT_PRINTF(3, 4);
int herr_vset(herr *e, int code, const char *fmt, va_list ap) HT_PRINTF(3, 0);

/*
 * herr_prefix: prepend context to the current message, e.g.
 * herr_prefix(e, "%s: page %d", file, page) turns "bad strip" into
 * "scan.tif: page 3: bad strip".  Returns -1.
 */
int herr_prefix(herr *e, const char *fmt, ...) HT_PRINTF(2, 3);

void herr_clear(herr *e);

/* ------------------------------------------------------------------------
 * Logging (stderr).  Messages are prefixed with "hotich: error: " and so on.
 * ---------------------------------------------------------------------- */

enum ht_log_level {
	HT_LOG_ERROR = 0,
	HT_LOG_WARNING = 1,
	HT_LOG_INFO = 2,
	HT_LOG_DEBUG = 3
};

/* log_set_level: messages above `level` are dropped (default: INFO). */
void log_set_level(enum ht_log_level level);
enum ht_log_level log_get_level(void);

void log_error(const char *fmt, ...) HT_PRINTF(1, 2);
void log_warning(const char *fmt, ...) HT_PRINTF(1, 2);
void log_info(const char *fmt, ...) HT_PRINTF(1, 2);
void log_debug(const char *fmt, ...) HT_PRINTF(1, 2);

/* log_herr: print the message of `e` as an error and return its code. */
int log_herr(const herr *e);

/* ------------------------------------------------------------------------
 * Allocation.  Out of memory is not a condition hotich can report usefully
 * per input, so these abort with a message (as git's xmalloc does).
 * ---------------------------------------------------------------------- */

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) HT_PRINTF(1, 2);
HT_NORETURN void xdie_oom(size_t n);

/* ------------------------------------------------------------------------
 * strbuf: a growable, always NUL-terminated byte string.
 *   strbuf sb = STRBUF_INIT; strbuf_addf(&sb, "%d", 3); ...; strbuf_release(&sb);
 * The buffer owns `buf`; strbuf_detach hands it to the caller.
 * ---------------------------------------------------------------------- */

typedef struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
} strbuf;

extern char strbuf_empty[];
#define STRBUF_INIT                                                                                \
	{                                                                                          \
		strbuf_empty, 0, 0                                                                 \
	}

void strbuf_init(strbuf *sb, size_t hint);
void strbuf_release(strbuf *sb);
char *strbuf_detach(strbuf *sb, size_t *len);
void strbuf_grow(strbuf *sb, size_t extra);
void strbuf_reset(strbuf *sb);
void strbuf_add(strbuf *sb, const void *data, size_t len);
void strbuf_addstr(strbuf *sb, const char *s);
void strbuf_addch(strbuf *sb, int c);
void strbuf_addf(strbuf *sb, const char *fmt, ...) HT_PRINTF(2, 3);
void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap) HT_PRINTF(2, 0);
void strbuf_rtrim(strbuf *sb);

/* ------------------------------------------------------------------------
 * Small parsing and file helpers.
 * ---------------------------------------------------------------------- */

/*
 * parse_int: parse all of `s` as a base-10 integer in [min, max].
 * Returns 0 and sets *out, or -1 (nothing is written to *out).
 */
int parse_int(const char *s, long min, long max, long *out);

/*
 * fs_read_file: read a whole file into `out` (appended).  Refuses files larger
 * than `limit` bytes.  Returns 0, or -1 with `e` naming the file.
 */
int fs_read_file(const char *path, size_t limit, strbuf *out, herr *e);

/*
 * fs_mkdir_p: create a directory and its parents with `mode` (existing ones
 * are left as they are).  Returns 0, or -1 with `e` naming the directory.
 */
int fs_mkdir_p(const char *path, unsigned mode, herr *e);

/* fs_absolute_path: a malloc'd absolute form of `path` (not resolving links). */
char *fs_absolute_path(const char *path);

/*
 * sha256_file: the SHA-256 of a file's bytes as 64 lower-case hex digits
 * (hex must hold 65 bytes).  Returns 0, or -1 with `e` naming the file.
 * sha256_mem: the same for a buffer.
 */
int sha256_file(const char *path, char hex[65], herr *e);
void sha256_mem(const void *data, size_t len, char hex[65]);

/* ------------------------------------------------------------------------
 * CSV (RFC 4180): a streaming reader.
 *   struct csv *c = csv_open(path, &e);
 *   while ((rc = csv_next(c, &e)) > 0) { csv_field(c, i) ... }
 *   csv_close(c);
 * Quoted fields may hold commas, doubled quotes and line breaks; CRLF and
 * LF line ends are both accepted; a UTF-8 byte-order mark is skipped;
 * blank lines are skipped.
 * ---------------------------------------------------------------------- */

struct csv;

struct csv *csv_open(const char *path, herr *e);
/* csv_from_stream: read an open stream (not closed by csv_close). */
struct csv *csv_from_stream(FILE *f, const char *name);
/*
 * csv_next: read the next record.  Returns 1, 0 at the end, or -1 with `e`
 * naming the file and line (an unterminated quote, a record over 1 MiB).
 */
int csv_next(struct csv *c, herr *e);
int csv_nfields(const struct csv *c);
/* csv_field: field i of the current record ("" when there is no such field). */
const char *csv_field(const struct csv *c, int i);
/* csv_line: the line the current record starts on (1-based). */
long csv_line(const struct csv *c);
/* csv_column: the index of the field named `name` in the current record, or -1. */
int csv_column(const struct csv *c, const char *name);
void csv_close(struct csv *c);

/* ------------------------------------------------------------------------
 * Time (clock.c)
 * ---------------------------------------------------------------------- */

/* clock_now_s: seconds on the monotonic clock, for durations. */
double clock_now_s(void);

#endif
