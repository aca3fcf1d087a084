/*
 * fsutil.c — small parsing and file-system helpers with bounded input.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int fs_read_file(const char *path, size_t limit, strbuf *out, herr *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t start = out->len;
	char buf[65536];
	ssize_t n;

	if (fd < 0)
		return herr_set(e, HT_EXIT_FATAL, "could not open file \"%s\": %s", path,
				strerror(errno));
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;
			close(fd);
			return herr_set(e, HT_EXIT_FATAL, "could not read file \"%s\": %s", path,
					strerror(err));
		}
		if (n == 0)
			break;
		if (out->len - start + (size_t)n > limit) {
			close(fd);
			return herr_set(e, HT_EXIT_FATAL, "file \"%s\" is larger than %zu bytes",
					path, limit);
		}
		strbuf_add(out, buf, (size_t)n);
	}
	close(fd);
	return 0;
}

int fs_mkdir_p(const char *path, unsigned mode, herr *e)
{
	char *p = xstrdup(path);
	size_t i, len = strlen(p);
	int ret = -1;

	for (i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			herr_set(e, HT_EXIT_FATAL, "could not create directory \"%s\": %s", p,
				 strerror(errno));
			goto cleanup;
		}
		p[i] = (i == len) ? '\0' : '/';
	}
	ret = 0;
cleanup:
	free(p);
	return ret;
}

char *fs_absolute_path(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return xstrdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return xstrdup(path);
	if (!strcmp(path, "."))
		return xstrdup(cwd);
	if (!strncmp(path, "./", 2))
		path += 2;
	return xasprintf("%s/%s", cwd, path);
}
