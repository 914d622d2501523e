/*
 * i18n.c - message catalogs (ja, en) and Accept-Language negotiation.
 *
 * Catalog files are trusted project files but still parsed strictly: one
 * `key = text` per line, UTF-8 only, no duplicate keys, identical key sets
 * and identical {{NAME}} placeholders in both languages, so that a screen
 * never shows a key where text belongs. Accept-Language comes from the
 * network and is parsed with bounded loops (RFC 9110 §12.5.4, qvalues
 * §12.4.2); anything odd is skipped, never an error.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../core/str.h"
#include "i18n.h"

#define I18N_PLACEHOLDERS_MAX	16	/* {{NAME}} per text */

enum i18n_lang_id {
	I18N_JA = 0,
	I18N_EN,
	I18N__MAX
};

static const char *const i18n_lang_names[I18N__MAX] = { "ja", "en" };

struct i18n_entry {
	const char	*key;
	size_t		 keylen;
	const char	*text;
	int		 line;
};

struct i18n_table {
	struct i18n_entry	*v;
	size_t			 n;
};

struct i18n {
	struct arena		*a;
	struct i18n_table	 t[I18N__MAX];
};

/* Written once by i18n_install() before threads start, read-only after. */
static struct i18n *i18n_current;

static int
i18n_entry_cmp(const void *a, const void *b)
{
	const struct i18n_entry	*x = a, *y = b;
	size_t			 n = x->keylen < y->keylen ? x->keylen :
				    y->keylen;
	int			 c = memcmp(x->key, y->key, n);

	if (c != 0)
		return c;
	return x->keylen < y->keylen ? -1 : x->keylen > y->keylen;
}

/* Length of the valid UTF-8 prefix (RFC 3629 §4); n when all is valid. */
static size_t
i18n_utf8_valid(const unsigned char *p, size_t n)
{
	size_t	 i = 0, k, len;
	uint32_t cp, min;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			len = 2;
			cp = p[i] & 0x1f;
			min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			len = 3;
			cp = p[i] & 0x0f;
			min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			len = 4;
			cp = p[i] & 0x07;
			min = 0x10000;
		} else
			return i;
		if (len > n - i)
			return i;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return n;
}

static bool
i18n_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	    c == '.' || c == '-';
}

/* Reads all of path into the arena, NUL-terminated. */
static char *
i18n_read_file(struct arena *a, const char *path, size_t *len, struct err *e)
{
	char	*buf;
	size_t	 n = 0;
	ssize_t	 r;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		err_set(e, ERR_ENV, "%s: cannot open: %s", path,
		    strerror(errno));
		return NULL;
	}
	if ((buf = arena_alloc(a, I18N_FILE_MAX + 1)) == NULL) {
		close(fd);
		err_set(e, ERR_ENV, "%s: out of memory", path);
		return NULL;
	}
	while ((r = read(fd, buf + n, I18N_FILE_MAX + 1 - n)) > 0) {
		n += (size_t)r;
		if (n > I18N_FILE_MAX)
			break;
	}
	close(fd);
	if (r == -1) {
		err_set(e, ERR_ENV, "%s: read failed: %s", path,
		    strerror(errno));
		return NULL;
	}
	if (n > I18N_FILE_MAX) {
		err_set(e, ERR_TOO_LARGE, "%s: larger than %d bytes", path,
		    I18N_FILE_MAX);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int
i18n_parse(struct arena *a, const char *path, struct i18n_table *t,
    struct err *e)
{
	char		*buf, *p, *end, *nl, *eq, *k, *ke, *v, *ve;
	size_t		 len, bad, i;
	int		 line = 0;

	if ((buf = i18n_read_file(a, path, &len, e)) == NULL)
		return -1;
	if ((bad = i18n_utf8_valid((unsigned char *)buf, len)) != len) {
		for (i = 0, line = 1; i < bad; i++)
			if (buf[i] == '\n')
				line++;
		e->line = line;
		return err_set(e, ERR_INPUT, "%s:%d: not valid UTF-8", path,
		    line);
	}
	if (memchr(buf, '\0', len) != NULL)
		return err_set(e, ERR_INPUT, "%s: holds a NUL byte", path);
	t->v = arena_calloc(a, I18N_KEYS_MAX, sizeof(*t->v));
	if (t->v == NULL)
		return err_set(e, ERR_ENV, "%s: out of memory", path);
	t->n = 0;
	end = buf + len;
	for (p = buf; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		*nl = '\0';
		ve = nl;
		if (ve > p && ve[-1] == '\r')
			*--ve = '\0';
		while (p < ve && (*p == ' ' || *p == '\t'))
			p++;
		if (p == ve || *p == '#')
			continue;
		if ((eq = memchr(p, '=', (size_t)(ve - p))) == NULL) {
			e->line = line;
			return err_set(e, ERR_INPUT,
			    "%s:%d: expected `key = text`", path, line);
		}
		k = p;
		ke = eq;
		while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		for (char *c = k; c < ke; c++)
			if (!i18n_key_char(*c)) {
				e->line = line;
				return err_set(e, ERR_INPUT, "%s:%d: a key "
				    "holds only a-z, 0-9, '_', '.' and '-'",
				    path, line);
			}
		if (ke == k || ke - k > I18N_KEY_MAX) {
			e->line = line;
			return err_set(e, ERR_INPUT, "%s:%d: empty or "
			    "over-long key", path, line);
		}
		v = eq + 1;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			*--ve = '\0';
		if (t->n == I18N_KEYS_MAX)
			return err_set(e, ERR_TOO_LARGE, "%s: more than %d "
			    "keys", path, I18N_KEYS_MAX);
		*ke = '\0';
		t->v[t->n].key = k;
		t->v[t->n].keylen = (size_t)(ke - k);
		t->v[t->n].text = v;
		t->v[t->n].line = line;
		t->n++;
	}
	qsort(t->v, t->n, sizeof(*t->v), i18n_entry_cmp);
	for (i = 1; i < t->n; i++)
		if (i18n_entry_cmp(&t->v[i - 1], &t->v[i]) == 0) {
			e->line = t->v[i].line;
			return err_set(e, ERR_INPUT, "%s:%d: key \"%s\" is "
			    "already defined on line %d", path,
			    t->v[i - 1].line > t->v[i].line ?
			    t->v[i - 1].line : t->v[i].line, t->v[i].key,
			    t->v[i - 1].line < t->v[i].line ?
			    t->v[i - 1].line : t->v[i].line);
		}
	return 0;
}

/* Collects the {{NAME}} (template) and {name} (handler) placeholders of s;
 * -1 when there are too many. */
static int
i18n_placeholders(const char *s, struct str *out, size_t *n)
{
	const char	*p = s, *q;
	bool		 dbl;

	*n = 0;
	while ((p = strchr(p, '{')) != NULL) {
		dbl = p[1] == '{';
		p += dbl ? 2 : 1;
		for (q = p; *q != '\0' && (dbl ? (isupper((unsigned char)*q) ||
		    isdigit((unsigned char)*q) || *q == '_') :
		    islower((unsigned char)*q)); q++)
			;
		if (q == p || strncmp(q, dbl ? "}}" : "}", dbl ? 2 : 1) != 0)
			continue;
		if (*n == I18N_PLACEHOLDERS_MAX)
			return -1;
		out[(*n)++] = (struct str){ p - (dbl ? 2 : 1),
		    (size_t)(q - p) + (dbl ? 4 : 2) };
		p = q + (dbl ? 2 : 1);
	}
	return 0;
}

static bool
i18n_has_all(const struct str *a, size_t na, const struct str *b, size_t nb)
{
	size_t	 i, j;

	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (str_eq(a[i], b[j]))
				break;
		if (j == nb)
			return false;
	}
	return true;
}

/* Same keys in both languages and the same placeholders in each text. */
static int
i18n_check_parity(const struct i18n *cat, const char *dir, struct err *e)
{
	const struct i18n_table	*ja = &cat->t[I18N_JA];
	const struct i18n_table	*en = &cat->t[I18N_EN];
	struct str		 pj[I18N_PLACEHOLDERS_MAX];
	struct str		 pe[I18N_PLACEHOLDERS_MAX];
	size_t			 i = 0, j = 0, nj, ne;
	int			 c;

	while (i < ja->n || j < en->n) {
		if (i == ja->n)
			c = 1;
		else if (j == en->n)
			c = -1;
		else
			c = i18n_entry_cmp(&ja->v[i], &en->v[j]);
		if (c < 0) {
			e->line = ja->v[i].line;
			return err_set(e, ERR_INPUT, "%s/ja.txt:%d: key \"%s\" "
			    "is missing from en.txt", dir, ja->v[i].line,
			    ja->v[i].key);
		}
		if (c > 0) {
			e->line = en->v[j].line;
			return err_set(e, ERR_INPUT, "%s/en.txt:%d: key \"%s\" "
			    "is missing from ja.txt", dir, en->v[j].line,
			    en->v[j].key);
		}
		if (i18n_placeholders(ja->v[i].text, pj, &nj) == -1 ||
		    i18n_placeholders(en->v[j].text, pe, &ne) == -1 ||
		    !i18n_has_all(pj, nj, pe, ne) ||
		    !i18n_has_all(pe, ne, pj, nj)) {
			e->line = en->v[j].line;
			return err_set(e, ERR_INPUT, "%s/en.txt:%d: key \"%s\" "
			    "has other {{placeholders}} than in ja.txt "
			    "(line %d)", dir, en->v[j].line, en->v[j].key,
			    ja->v[i].line);
		}
		i++;
		j++;
	}
	return 0;
}

struct i18n *
i18n_load(const char *dir, struct err *e)
{
	struct i18n	*cat;
	struct arena	*a;
	char		*path;
	int		 l;

	if ((a = arena_new(4 * I18N_FILE_MAX + 1024 * 1024)) == NULL) {
		err_set(e, ERR_ENV, "catalogs: out of memory");
		return NULL;
	}
	if ((cat = arena_calloc(a, 1, sizeof(*cat))) == NULL) {
		arena_free(a);
		err_set(e, ERR_ENV, "catalogs: out of memory");
		return NULL;
	}
	cat->a = a;
	for (l = 0; l < I18N__MAX; l++) {
		path = arena_printf(a, "%s/%s.txt", dir, i18n_lang_names[l]);
		if (path == NULL) {
			err_set(e, ERR_ENV, "catalogs: out of memory");
			goto fail;
		}
		if (i18n_parse(a, path, &cat->t[l], e) == -1)
			goto fail;
	}
	if (i18n_check_parity(cat, dir, e) == -1)
		goto fail;
	return cat;
fail:
	arena_free(a);
	return NULL;
}

void
i18n_free(struct i18n *cat)
{
	if (cat != NULL)
		arena_free(cat->a);
}

void
i18n_install(struct i18n *cat)
{
	struct i18n	*old = i18n_current;

	i18n_current = cat;
	if (old != cat)
		i18n_free(old);
}

static enum i18n_lang_id
i18n_lang_id(const char *lang)
{
	if (lang != NULL && strcmp(lang, "en") == 0)
		return I18N_EN;
	return I18N_JA;
}

const char *
i18n_lookup(const struct i18n *cat, const char *lang, const char *key,
    size_t keylen)
{
	const struct i18n_table	*t;
	struct i18n_entry	 want = { 0 }, *hit;

	if (cat == NULL || key == NULL)
		return NULL;
	t = &cat->t[i18n_lang_id(lang)];
	want.key = key;
	want.keylen = keylen;
	hit = bsearch(&want, t->v, t->n, sizeof(*t->v), i18n_entry_cmp);
	return hit != NULL ? hit->text : NULL;
}

size_t
i18n_count(const struct i18n *cat)
{
	return cat != NULL ? cat->t[I18N_JA].n : 0;
}

const char *
i18n_text(const char *lang, const char *key)
{
	const char	*s;

	if (key == NULL)
		return "";
	s = i18n_lookup(i18n_current, lang, key, strlen(key));
	return s != NULL ? s : key;
}

bool
i18n_lang_valid(const char *lang)
{
	return lang != NULL && (strcmp(lang, "ja") == 0 ||
	    strcmp(lang, "en") == 0);
}

const char *
i18n_lang(const char *lang)
{
	return i18n_lang_names[i18n_lang_id(lang)];
}

/*
 * qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), RFC 9110
 * §12.4.2; returns thousandths, or -1 when malformed.
 */
static int
i18n_qvalue(struct str s)
{
	size_t	 i;
	int	 q, scale = 100;

	if (s.n == 0 || (s.p[0] != '0' && s.p[0] != '1'))
		return -1;
	q = (s.p[0] - '0') * 1000;
	if (s.n == 1)
		return q;
	if (s.p[1] != '.' || s.n > 5)
		return -1;
	for (i = 2; i < s.n; i++, scale /= 10) {
		if (!isdigit((unsigned char)s.p[i]))
			return -1;
		q += (s.p[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* The language of one range: I18N_JA, I18N_EN, I18N__MAX for "*", or -1. */
static int
i18n_range_lang(struct str r)
{
	struct str	 primary, rest;
	size_t		 i;

	if (str_eq_cstr(r, "*"))
		return I18N__MAX;
	if (!str_cut(r, '-', &primary, &rest))
		primary = r;
	for (i = 0; i < r.n; i++)
		if (!isalnum((unsigned char)r.p[i]) && r.p[i] != '-')
			return -1;
	if (str_caseeq_cstr(primary, "ja"))
		return I18N_JA;
	if (str_caseeq_cstr(primary, "en"))
		return I18N_EN;
	return -1;
}

const char *
i18n_pick(const char *accept_language)
{
	struct str	 all, item, rest, range, params, param, name, val;
	int		 best = -1, bestq = 0, lang, q;
	bool		 refused[I18N__MAX + 1] = { false };

	if (accept_language == NULL)
		return I18N_DEFAULT_LANG;
	all = str_from(accept_language);
	if (all.n > I18N_ACCEPT_MAX)
		all.n = I18N_ACCEPT_MAX;
	while (all.n > 0) {
		if (!str_cut(all, ',', &item, &rest)) {
			item = all;
			rest = STR_NULL;
		}
		all = rest;
		if (!str_cut(item, ';', &range, &params)) {
			range = item;
			params = STR_NULL;
		}
		if ((lang = i18n_range_lang(str_trim(range))) == -1)
			continue;
		q = 1000;
		while (params.n > 0) {
			if (!str_cut(params, ';', &param, &rest)) {
				param = params;
				rest = STR_NULL;
			}
			params = rest;
			if (!str_cut(str_trim(param), '=', &name, &val))
				continue;
			if (str_caseeq_cstr(str_trim(name), "q"))
				q = i18n_qvalue(str_trim(val));
		}
		if (q <= 0) {		/* q=0: "not acceptable" (§12.4.2) */
			if (q == 0)
				refused[lang] = true;
			continue;
		}
		if (q > bestq) {
			bestq = q;
			best = lang;
		}
	}
	if (best == I18N__MAX) {
		/* "*": any language not refused by name, default first */
		if (!refused[I18N_JA])
			return i18n_lang_names[I18N_JA];
		if (!refused[I18N_EN])
			return i18n_lang_names[I18N_EN];
	}
	if (best < 0 || best == I18N__MAX)
		return I18N_DEFAULT_LANG;
	return i18n_lang_names[best];
}
