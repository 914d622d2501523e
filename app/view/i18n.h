/*
 * i18n.h - the message catalogs (ja, en) and the choice of language.
 *
 * Catalogs are the files templates/i18n/ja.txt and en.txt: UTF-8 lines
 * `key = text`, `#` comments, blank lines ignored, and the same key set in
 * both files. A text may hold `{{NAME}}` placeholders that a screen
 * template fills from its dictionary, and `{name}` placeholders that a
 * handler fills; both languages must hold the same ones.
 * Catalogs are loaded once by view_init() before threads start and are
 * read-only afterwards. Accept-Language follows RFC 9110 §12.5.4.
 */
#ifndef VIEW_I18N_H
#define VIEW_I18N_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct err;
struct i18n;

#define I18N_FILE_MAX		(1024 * 1024)	/* bytes in a catalog */
#define I18N_KEY_MAX		96		/* bytes in one key */
#define I18N_KEYS_MAX		4096		/* keys per catalog */
#define I18N_ACCEPT_MAX		1024		/* Accept-Language bytes */
#define I18N_DEFAULT_LANG	"ja"

/*
 * Reads dir/ja.txt and dir/en.txt into a new catalog set. Refuses, with
 * file, line and reason in e, a malformed line, a duplicate key, invalid
 * UTF-8, a key present in one language only, or placeholders that differ
 * between the languages. The caller installs or frees the result.
 */
struct i18n	*i18n_load(const char *dir, struct err *e)
		    __attribute__((warn_unused_result));
void		 i18n_free(struct i18n *);	/* NULL ok */
/* Makes cat the catalogs i18n_text() reads and frees the previous ones.
 * Only before threads start. */
void		 i18n_install(struct i18n *cat);
/* The text of key (keylen bytes) in lang of cat, NULL when missing. */
const char	*i18n_lookup(const struct i18n *cat, const char *lang,
		    const char *key, size_t keylen);
/* Number of keys in cat (the same in both languages). */
size_t		 i18n_count(const struct i18n *cat);

/* The installed text of key in lang; never NULL: falls back to the key. */
const char	*i18n_text(const char *lang, const char *key);
/* "ja" or "en" for an Accept-Language header value (q-values honoured,
 * q=0 refused, ties go to the earlier range); the default "ja" when the
 * header is empty, malformed, or names neither language. */
const char	*i18n_pick(const char *accept_language);
/* "ja" or "en" for a stored or requested language; default otherwise. */
const char	*i18n_lang(const char *lang);
/* True for exactly "ja" or "en". */
bool		 i18n_lang_valid(const char *lang);

#ifdef __cplusplus
}
#endif

#endif
