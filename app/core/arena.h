/*
 * arena.h - region allocator: many small allocations, one release.
 *
 * Every request-scoped (web) or message-scoped (sender) allocation comes
 * from an arena; nothing inside is freed on its own. Cleanup hooks run when
 * the arena is reset or freed (close result sets, zero secrets).
 * An arena has a byte limit: past it allocations fail (NULL), they never grow
 * without bound.
 */
#ifndef CORE_ARENA_H
#define CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#define ARENA_CHUNK_DEFAULT	(16 * 1024)
#define ARENA_LIMIT_DEFAULT	((size_t)64 * 1024 * 1024)

struct arena;

/* A new arena that refuses to hold more than limit bytes (0: default). */
struct arena	*arena_new(size_t limit);
/* Runs cleanup hooks (last registered first) and frees everything. NULL ok. */
void		 arena_free(struct arena *);
/* Runs hooks and forgets all allocations but keeps the first chunk. */
void		 arena_reset(struct arena *);

/* n bytes aligned for any type; NULL when the limit is reached. */
void		*arena_alloc(struct arena *, size_t n)
		    __attribute__((warn_unused_result));
void		*arena_calloc(struct arena *, size_t count, size_t size)
		    __attribute__((warn_unused_result));
/* NUL-terminated copy of n bytes of p. */
char		*arena_strndup(struct arena *, const char *p, size_t n)
		    __attribute__((warn_unused_result));
char		*arena_strdup(struct arena *, const char *s)
		    __attribute__((warn_unused_result));
char		*arena_printf(struct arena *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3), warn_unused_result));
char		*arena_vprintf(struct arena *, const char *fmt, va_list)
		    __attribute__((warn_unused_result));

/* A copy of the n elements of size sz at old in a new array twice as large
 * (16 when *cap is 0); *cap is updated. NULL when out of memory. */
void		*arena_grow(struct arena *, void *old, size_t n, size_t *cap,
		    size_t sz) __attribute__((warn_unused_result));
/* fn(arg) runs at reset/free. Returns -1 when out of memory (fn ran now). */
int		 arena_on_free(struct arena *, void (*fn)(void *), void *arg);
/* Bytes handed out since creation or the last reset. */
size_t		 arena_used(const struct arena *);

#endif
