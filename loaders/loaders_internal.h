/*
 * loaders_internal.h — what the files of loaders/ share and nobody else
 * may use.
 */
#ifndef HOTICH_LOADERS_INTERNAL_H
#define HOTICH_LOADERS_INTERNAL_H

#include "loaders.h"

/* One numbered migration, embedded from loaders/migrations/NNNN_name.sql. */
struct migration {
	int version;
	const char *name;
	const char *sql;
};

/* In version order, 1..count (generated at build time). */
extern const struct migration hotich_migrations[];
extern const int hotich_migrations_count;

#endif
