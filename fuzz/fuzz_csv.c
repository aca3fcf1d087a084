/*
 * fuzz_csv.c — libFuzzer target for the registry CSV: the generic reader
 * (quotes, CRLF, embedded newlines, ragged rows) and the match stage's
 * registry loader on the same bytes (encoding detection, TCVN3/VNI/CP1258
 * decoding, every field parsed and normalized, bad rows counted).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../common/common.h"
#include "../match/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *mf;
	struct csv *c;
	herr e = { 0 };
	char path[64];
	int fd, rc;

	if (size > (256u << 10))
		return 0;
	mf = fmemopen((void *)data, size ? size : 1, "r");
	if (!mf)
		return 0;
	if (!size) {
		fclose(mf);
		mf = fopen("/dev/null", "r");
		if (!mf)
			return 0;
	}
	c = csv_from_stream(mf, "fuzz.csv");
	while ((rc = csv_next(c, &e)) > 0) {
		for (int i = 0; i < csv_nfields(c); i++)
			if (!csv_field(c, i))
				abort();
		(void)csv_column(c, "id_number");
	}
	csv_close(c);
	fclose(mf);

	fd = memfd_create("registry", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		struct match_registry *r = match_registry_new();
		long rejected = 0;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		herr_clear(&e);
		if (match_registry_load_csv(r, path, &rejected, &e) < 0 && !e.msg[0])
			abort();
		match_registry_free(r);
	}
	close(fd);
	return 0;
}
