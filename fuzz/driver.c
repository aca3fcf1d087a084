/*
 * driver.c — runs a fuzz target's LLVMFuzzerTestOneInput on every file of
 * its committed corpus (fuzz/corpus/<target>/), as a TAP test: the seeds
 * and every crash ever found stay regression tests of the normal build.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STR2(x) #x
#define STR(x)	STR2(x)

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *src = getenv("HOTICH_SRC");
	char *dir = xasprintf("%s/fuzz/corpus/%s", src ? src : ".", STR(FUZZ_NAME));
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;

	if (!d) {
		printf("1..0 # SKIP no corpus in %s\n", dir);
		free(dir);
		return 0;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		strbuf data = STRBUF_INIT;
		herr e = { 0 };

		if (fs_read_file(path, 1 << 20, &data, &e) < 0) {
			printf("not ok %zu - %s: %s\n", i + 1, names[i], e.msg);
		} else {
			LLVMFuzzerTestOneInput((const uint8_t *)data.buf, data.len);
			printf("ok %zu - %s %s\n", i + 1, STR(FUZZ_NAME), names[i]);
		}
		fflush(stdout);
		strbuf_release(&data);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return 0;
}
