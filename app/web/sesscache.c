/*
 * sesscache.c - the session lookup cache (see sesscache.h). Open hashing
 * on the token hash (already uniformly random), one slot per bucket, a
 * mutex per stripe of slots. Strings are copied into fixed buffers so an
 * entry owns nothing; a string that does not fit is simply not cached.
 */
#include <pthread.h>
#include <string.h>

#include "../core/arena.h"
#include "sesscache.h"

#define STRIPES		64
#define LOGIN_BUF	65
#define NAME_BUF	512
#define TZ_BUF		65

struct slot {
	bool			 used;
	uint8_t			 hash[32];
	int64_t			 loaded;
	struct session_row	 row;	/* string pointers unused here */
	char			 login[LOGIN_BUF];
	char			 name[NAME_BUF];
	char			 lang[4];
	bool			 has_lang;
	char			 tz[TZ_BUF];
};

static struct slot	 slots[SESSCACHE_SLOTS];
static pthread_mutex_t	 stripes[STRIPES];
static pthread_once_t	 stripes_once = PTHREAD_ONCE_INIT;

static void
stripes_init(void)
{
	size_t	 i;

	for (i = 0; i < STRIPES; i++)
		pthread_mutex_init(&stripes[i], NULL);
}

static size_t
index_of(const uint8_t hash[32])
{
	size_t	 i;

	memcpy(&i, hash, sizeof(i));
	return i & (SESSCACHE_SLOTS - 1);
}

static pthread_mutex_t *
lock_of(size_t i)
{
	pthread_once(&stripes_once, stripes_init);
	return &stripes[i % STRIPES];
}

bool
sesscache_get(const uint8_t hash[32], int64_t now, struct arena *a,
    struct session_row *out)
{
	size_t		 i = index_of(hash);
	struct slot	*s = &slots[i];
	bool		 hit = false;

	pthread_mutex_lock(lock_of(i));
	if (s->used && memcmp(s->hash, hash, 32) == 0 &&
	    now - s->loaded < SESSCACHE_TTL && now >= s->loaded) {
		*out = s->row;
		out->user.login = arena_strdup(a, s->login);
		out->user.display_name = arena_strdup(a, s->name);
		out->user.lang = s->has_lang ? arena_strdup(a, s->lang) : NULL;
		out->user.tz = arena_strdup(a, s->tz);
		hit = out->user.login != NULL && out->user.display_name !=
		    NULL && out->user.tz != NULL &&
		    (!s->has_lang || out->user.lang != NULL);
	}
	pthread_mutex_unlock(lock_of(i));
	return hit;
}

static bool
fits(const char *v, size_t n)
{
	return v != NULL && strlen(v) < n;
}

void
sesscache_put(const uint8_t hash[32], int64_t now,
    const struct session_row *r)
{
	size_t		 i = index_of(hash);
	struct slot	*s = &slots[i];

	if (!fits(r->user.login, LOGIN_BUF) ||
	    !fits(r->user.display_name, NAME_BUF) ||
	    !fits(r->user.tz, TZ_BUF) ||
	    (r->user.lang != NULL && !fits(r->user.lang, sizeof(s->lang))))
		return;
	pthread_mutex_lock(lock_of(i));
	s->used = true;
	memcpy(s->hash, hash, 32);
	s->loaded = now;
	s->row = *r;
	s->row.user.login = s->row.user.display_name = NULL;
	s->row.user.lang = s->row.user.tz = NULL;
	s->row.user.password_hash = NULL;
	s->row.user.totp_secret = (struct str){ NULL, 0 };
	memcpy(s->login, r->user.login, strlen(r->user.login) + 1);
	memcpy(s->name, r->user.display_name,
	    strlen(r->user.display_name) + 1);
	memcpy(s->tz, r->user.tz, strlen(r->user.tz) + 1);
	s->has_lang = r->user.lang != NULL;
	if (s->has_lang)
		memcpy(s->lang, r->user.lang, strlen(r->user.lang) + 1);
	pthread_mutex_unlock(lock_of(i));
}

/* Applies fn to every used slot matching (by session or by user id). */
static void
each(bool by_user, uint64_t id, int64_t last_seen, bool drop)
{
	size_t	 i;

	for (i = 0; i < SESSCACHE_SLOTS; i++) {
		struct slot	*s = &slots[i];

		pthread_mutex_lock(lock_of(i));
		if (s->used && (by_user ? s->row.user.id == id :
		    s->row.id == id)) {
			if (drop)
				s->used = false;
			else
				s->row.last_seen = last_seen;
		}
		pthread_mutex_unlock(lock_of(i));
	}
}

void
sesscache_touch(uint64_t session_id, int64_t last_seen)
{
	each(false, session_id, last_seen, false);
}

void
sesscache_drop_session(uint64_t session_id)
{
	each(false, session_id, 0, true);
}

void
sesscache_drop_user(uint64_t user_id)
{
	each(true, user_id, 0, true);
}
