/*
 * cfg.c - "key = value" configuration with environment overrides (cfg.h).
 * Trusts nothing in the file: every value is checked against the key table
 * and refused with the key, where it came from and why.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "err.h"
#include "num.h"

static int
cfg_set(const struct cfg_key *k, void *out, const char *val,
    const char *where, struct err *e)
{
	char	*base = out;
	size_t	 len = strlen(val);

	switch (k->type) {
	case CFG_STRING:
		if (len >= CFG_VALUE_MAX || (k->max > 0 && len > (size_t)k->max))
			return err_field(e, ERR_INPUT, k->name,
			    "%s: %s: value is too long", where, k->name);
		memcpy(base + k->offset, val, len + 1);
		break;
	case CFG_INT: {
		int64_t	 v;

		if (num_parse_i64(str_from(val), k->min, k->max, &v) == -1)
			return err_field(e, ERR_INPUT, k->name,
			    "%s: %s: \"%s\" is not a whole number from "
			    "%lld to %lld", where, k->name, val,
			    (long long)k->min, (long long)k->max);
		memcpy(base + k->offset, &v, sizeof(v));
		break;
	}
	case CFG_BOOL: {
		bool	 b;

		if (strcmp(val, "true") == 0 || strcmp(val, "yes") == 0 ||
		    strcmp(val, "1") == 0)
			b = true;
		else if (strcmp(val, "false") == 0 ||
		    strcmp(val, "no") == 0 || strcmp(val, "0") == 0)
			b = false;
		else
			return err_field(e, ERR_INPUT, k->name,
			    "%s: %s: \"%s\" is not true or false", where,
			    k->name, val);
		memcpy(base + k->offset, &b, sizeof(b));
		break;
	}
	default:
		return err_set(e, ERR_ENV, "%s: bad key type", k->name);
	}
	if (k->check != NULL && k->check(val, e) == -1) {
		char	 why[ERR_MSG_MAX];

		snprintf(why, sizeof(why), "%s", e->msg);
		return err_field(e, ERR_INPUT, k->name, "%s: %s: %s", where,
		    k->name, why);
	}
	return 0;
}

static const struct cfg_key *
cfg_find(const struct cfg_key *keys, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static char *
trim(char *s)
{
	char	*end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int
cfg_file(const struct cfg_key *keys, size_t n, void *out, const char *path,
    bool *seen, struct err *e)
{
	char	 line[CFG_LINE_MAX], where[CFG_VALUE_MAX + 32];
	FILE	*f;
	int	 lineno = 0, rc = 0;

	if ((f = fopen(path, "r")) == NULL)
		return err_set(e, ERR_ENV, "%s: cannot open: %s", path,
		    strerror(errno));
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		char			*eq, *key, *val;
		const struct cfg_key	*k;

		lineno++;
		snprintf(where, sizeof(where), "%s line %d", path, lineno);
		if (strchr(line, '\n') == NULL && !feof(f)) {
			rc = err_set(e, ERR_INPUT, "%s: line is too long",
			    where);
			break;
		}
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			rc = err_set(e, ERR_INPUT, "%s: expected "
			    "\"key = value\"", where);
			break;
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		if ((k = cfg_find(keys, n, key)) == NULL) {
			rc = err_set(e, ERR_INPUT, "%s: unknown key \"%s\"",
			    where, key);
			break;
		}
		if (seen[k - keys]) {
			rc = err_set(e, ERR_INPUT, "%s: %s is set twice",
			    where, key);
			break;
		}
		seen[k - keys] = true;
		rc = cfg_set(k, out, val, where, e);
	}
	fclose(f);
	if (rc == 0)
		e->line = 0;
	else
		e->line = lineno;
	return rc;
}

int
cfg_load(const struct cfg_key *keys, size_t n, void *out, const char *path,
    const char *env_prefix, struct err *e)
{
	bool	*seen;
	size_t	 i;
	int	 rc = -1;

	if ((seen = calloc(n ? n : 1, sizeof(*seen))) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	for (i = 0; i < n; i++)
		if (keys[i].def != NULL &&
		    cfg_set(&keys[i], out, keys[i].def, "default", e) == -1)
			goto out;
	if (path != NULL && cfg_file(keys, n, out, path, seen, e) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		char		 var[128];
		const char	*v, *s;
		size_t		 o;

		o = (size_t)snprintf(var, sizeof(var), "%s", env_prefix);
		for (s = keys[i].name; *s != '\0' && o + 1 < sizeof(var); s++)
			var[o++] = *s == '.' ? '_' :
			    (char)toupper((unsigned char)*s);
		var[o] = '\0';
		if ((v = getenv(var)) != NULL) {
			seen[i] = true;
			if (cfg_set(&keys[i], out, v, var, e) == -1)
				goto out;
		}
	}
	for (i = 0; i < n; i++)
		if (keys[i].def == NULL && !seen[i]) {
			err_field(e, ERR_INPUT, keys[i].name,
			    "%s is required but not set", keys[i].name);
			goto out;
		}
	rc = 0;
out:
	free(seen);
	return rc;
}
