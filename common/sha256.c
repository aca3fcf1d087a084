/*
 * sha256.c — SHA-256 of files (libsodium), for record references and for
 * recognizing a scan that was already loaded wherever it lies.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "common.h"

int sha256_file(const char *path, char hex[65], herr *e)
{
	crypto_hash_sha256_state st;
	unsigned char buf[1 << 16], digest[crypto_hash_sha256_BYTES];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return herr_set(e, HT_EXIT_PARTIAL, "could not open file \"%s\": %s", path,
				strerror(errno));
	crypto_hash_sha256_init(&st);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			close(fd);
			return herr_set(e, HT_EXIT_PARTIAL, "could not read file \"%s\": %s", path,
					strerror(err));
		}
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
	}
	close(fd);
	crypto_hash_sha256_final(&st, digest);
	sodium_bin2hex(hex, 65, digest, sizeof(digest));
	return 0;
}

void sha256_mem(const void *data, size_t len, char hex[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(digest, data, (unsigned long long)len);
	sodium_bin2hex(hex, 65, digest, sizeof(digest));
}
