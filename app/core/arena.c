/*
 * arena.c - region allocator (see arena.h). Chunks are chained; large
 * requests get a chunk of their own. Cleanup hooks form a stack.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_ALIGN	16
#define ARENA_KEEP_MAX	16	/* chunks kept across a reset */

struct chunk {
	struct chunk	*next;
	size_t		 size;		/* usable bytes after the header */
	size_t		 used;
	max_align_t	 data[];
};

struct hook {
	struct hook	*next;
	void		(*fn)(void *);
	void		*arg;
};

struct arena {
	struct chunk	*head;		/* newest chunk first */
	struct hook	*hooks;
	size_t		 limit;
	size_t		 total;		/* bytes of chunks held */
	size_t		 used;
};

static struct chunk *
chunk_new(struct arena *a, size_t min)
{
	size_t		 size = min > ARENA_CHUNK_DEFAULT ? min :
			    ARENA_CHUNK_DEFAULT;
	struct chunk	*c;

	/* No overflow: size and total are both below limit here. */
	if (size > a->limit - a->total || size > SIZE_MAX - sizeof(*c))
		return NULL;
	if ((c = malloc(sizeof(*c) + size)) == NULL)
		return NULL;
	c->size = size;
	c->used = 0;
	c->next = a->head;
	a->head = c;
	a->total += size;
	return c;
}

struct arena *
arena_new(size_t limit)
{
	struct arena	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->limit = limit ? limit : ARENA_LIMIT_DEFAULT;
	return a;
}

static void
run_hooks(struct arena *a)
{
	struct hook	*h;

	while ((h = a->hooks) != NULL) {
		a->hooks = h->next;	/* hooks live in the arena itself */
		h->fn(h->arg);
	}
}

void
arena_free(struct arena *a)
{
	struct chunk	*c, *next;

	if (a == NULL)
		return;
	run_hooks(a);
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void
arena_reset(struct arena *a)
{
	struct chunk	*c, *next, *keep = NULL;
	size_t		 kept = 0;

	run_hooks(a);
	/* Default-size chunks stay for the next round (a request, a message)
	 * up to ARENA_KEEP_MAX of them; larger ones go back to malloc. */
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (c->size == ARENA_CHUNK_DEFAULT && kept < ARENA_KEEP_MAX) {
			c->used = 0;
			c->next = keep;
			keep = c;
			kept++;
		} else
			free(c);
	}
	a->head = keep;
	a->total = kept * ARENA_CHUNK_DEFAULT;
	a->used = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct chunk	*c = a->head;
	size_t		 need;
	void		*p;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (c == NULL || c->size - c->used < need) {
		/* A kept chunk further down may still be empty. */
		struct chunk	*prev = c, *k = c ? c->next : NULL;

		while (k != NULL && (k->used != 0 || k->size < need)) {
			prev = k;
			k = k->next;
		}
		if (k != NULL) {
			prev->next = k->next;
			k->next = a->head;
			a->head = k;
			c = k;
		} else if ((c = chunk_new(a, need)) == NULL)
			return NULL;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	a->used += need;
	return p;
}

void *
arena_calloc(struct arena *a, size_t count, size_t size)
{
	void	*p;

	if (size != 0 && count > SIZE_MAX / size)
		return NULL;
	if ((p = arena_alloc(a, count * size)) != NULL)
		memset(p, 0, count * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *p, size_t n)
{
	char	*s;

	if (n == SIZE_MAX || (s = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list	 cp;
	int	 n;
	char	*s;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || (s = arena_alloc(a, (size_t)n + 1)) == NULL)
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

void *
arena_grow(struct arena *a, void *old, size_t n, size_t *cap, size_t sz)
{
	void	*p;
	size_t	 nc = *cap ? *cap * 2 : 16;

	if (nc < *cap || (p = arena_calloc(a, nc, sz)) == NULL)
		return NULL;
	if (old != NULL && n > 0)
		memcpy(p, old, n * sz);
	*cap = nc;
	return p;
}

int
arena_on_free(struct arena *a, void (*fn)(void *), void *arg)
{
	struct hook	*h;

	if ((h = arena_alloc(a, sizeof(*h))) == NULL) {
		fn(arg);
		return -1;
	}
	h->fn = fn;
	h->arg = arg;
	h->next = a->hooks;
	a->hooks = h;
	return 0;
}

size_t
arena_used(const struct arena *a)
{
	return a->used;
}
