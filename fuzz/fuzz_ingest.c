/*
 * fuzz_ingest.c — libFuzzer target for image ingest: the bytes are a scan
 * file (TIFF incl. multi-page and CCITT G4, PNG, JPEG, or anything else),
 * opened and decoded page by page as `hotich run` does, with size caps
 * lowered so that a run stays fast (4 megapixels, 16 pages).  A file that
 * cannot be read must fail with a message naming it, never crash or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../ocr/ocr_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;
	struct ocr_options o;
	struct ocr_file *f;
	char path[64];
	herr e = { 0 };
	int fd;

	if (!quiet) {
		ingest_quiet_libraries();
		quiet = 1;
	}
	if (size > (1u << 20))
		return 0;
	fd = memfd_create("scan", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ocr_options_init(&o);
	o.max_pixels = 4L * 1000 * 1000;
	o.max_pages = 16;
	f = ocr_file_open(path, &o, &e);
	if (!f) {
		if (!e.msg[0])
			abort(); /* a refusal always says why */
	} else {
		for (int p = 1; p <= ocr_file_pages(f) && p <= 4; p++) {
			int dpi = 0;
			PIX *pix;

			herr_clear(&e);
			pix = ingest_page(f, p, &dpi, &e);
			if (!pix && !e.msg[0])
				abort();
			/* 0: no resolution in the file (measured from the text later) */
			if (pix && (pixGetWidth(pix) <= 0 || pixGetHeight(pix) <= 0 || dpi < 0 ||
				    dpi > 10000))
				abort();
			pixDestroy(&pix);
		}
		ocr_file_close(f);
	}
	close(fd);
	return 0;
}
