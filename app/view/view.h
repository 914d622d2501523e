/*
 * view.h - the HTML screens and mail bodies, rendered by ctemplate.
 *
 * The C side of the only C++ file (view_bridge.cc). Screens are files under
 * templates/ (see docs/screens.md): each opens with ctemplate's
 * {{%AUTOESCAPE context="HTML"}} pragma, so every {{VARIABLE}} is escaped
 * for where it stands (text, attribute, URL). Catalog text is written
 * [[key]] and substituted once per language by view_init(), so a request
 * pays nothing for translation.
 *
 * A dictionary holds the values of one rendering and lives in one request
 * (one thread); it is freed with the arena it was made from. Every setter
 * accepts a NULL dictionary and does nothing, so that a failed allocation
 * surfaces once, at view_render_*().
 */
#ifndef VIEW_VIEW_H
#define VIEW_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct arena;
struct err;
struct sbuf;
struct view_dict;

#define VIEW_NAME_MAX		64	/* bytes in a screen name */
#define VIEW_TEMPLATE_MAX	(256 * 1024)	/* bytes in one template */
#define VIEW_MAIL_KEY_MAX	128	/* bytes in a mail template key */

/*
 * Loads the catalogs (dir/i18n/ja.txt, en.txt), the layout (dir/layout.tpl),
 * the screens (dir/screens/<name>.tpl: rendered inside the layout or bare)
 * and the bare pages (dir/bare/<name>.tpl: never inside the layout), once,
 * before threads start. Refuses, naming file, line and reason, a template
 * that does not start with the AUTOESCAPE HTML pragma, a [[key]] missing
 * from the catalogs, a screen without <name>.title and <name>.lead, a
 * template ctemplate cannot parse, or catalogs that differ in their keys.
 * On failure the previously loaded templates (if any) stay in use.
 */
int		 view_init(const char *templates_dir, struct err *e)
		    __attribute__((warn_unused_result));

/* A new empty dictionary, freed by a hook of arena a; NULL when out of
 * memory (the setters then do nothing and rendering fails). */
struct view_dict *view_dict_new(struct arena *a);
/* Sets variable name to a copy of value (NULL: empty). */
void		 view_set(struct view_dict *, const char *name,
		    const char *value);
/* Sets name to value of n bytes (need not be NUL-terminated). */
void		 view_setn(struct view_dict *, const char *name,
		    const char *value, size_t n);
void		 view_setf(struct view_dict *, const char *name,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Plain digits: -1234. */
void		 view_set_int(struct view_dict *, const char *name,
		    int64_t);
/* With thousands separators for lang: 1,234,567 (ja and en alike). */
void		 view_set_count(struct view_dict *, const char *name,
		    int64_t, const char *lang);
/* The catalog text of key in lang (escaped like any value). */
void		 view_set_text(struct view_dict *, const char *name,
		    const char *lang, const char *key);
/* Adds one row to a section and returns its dictionary (lookups fall back
 * to the parent's values); NULL when out of memory or d is NULL. */
struct view_dict *view_section_add(struct view_dict *d, const char *section);
/* Shows a section once, with the parent's values. */
void		 view_section_show(struct view_dict *, const char *section);
/* view_section_show() when cond is true. */
void		 view_section_show_if(struct view_dict *,
		    const char *section, bool cond);
/* A flash message: a FLASH row with KIND ("ok", "error", "warn") and
 * TEXT. */
void		 view_flash(struct view_dict *, const char *kind,
		    const char *text);
/* A field error: section ERR_<field> shown with TEXT. */
void		 view_field_error(struct view_dict *, const char *field,
		    const char *text);
/* One row of section per group of `group` bytes of value, each with TEXT
 * (a TOTP secret shown as ABCD EFGH ...). */
void		 view_section_groups(struct view_dict *,
		    const char *section, const char *value, size_t group);

/*
 * Renders screen `name` (e.g. "login") inside the layout in lang ("ja" or
 * "en"; anything else is taken as the default "ja"), appending HTML to
 * out. Returns -1 with a sentence in e for an unknown screen, a NULL
 * dictionary or an output over out's limit; out is then left as it was.
 */
int		 view_render_page(const char *name, const char *lang,
		    struct view_dict *, struct sbuf *out, struct err *e)
		    __attribute__((warn_unused_result));
/* The same without the layout (error pages, fragments); a NULL dictionary
 * renders the template with no values (forbidden_ip needs none). */
int		 view_render_bare(const char *name, const char *lang,
		    struct view_dict *, struct sbuf *out, struct err *e)
		    __attribute__((warn_unused_result));

/*
 * Mail bodies. A template held as a string is compiled once and cached under
 * key (printable ASCII, no spaces, at most VIEW_MAIL_KEY_MAX bytes; a later
 * compile under the same key replaces it, renders already running finish
 * with the old one). html selects HTML auto-escaping (the pragma is added
 * when the text lacks it); text mode escapes nothing and is also reachable
 * by its own name, view_mail_compile_text(), so raw output stays greppable.
 * Returns -1 with a message naming the line for a bad template. Both
 * compile and render are thread-safe.
 */
int		 view_mail_compile(const char *key, const char *text,
		    size_t n, bool html, struct err *e)
		    __attribute__((warn_unused_result));
int		 view_mail_compile_html(const char *key, const char *text,
		    size_t n, struct err *e)
		    __attribute__((warn_unused_result));
int		 view_mail_compile_text(const char *key, const char *text,
		    size_t n, struct err *e)
		    __attribute__((warn_unused_result));
/* Renders a compiled mail template, appending to out; -1 for an unknown
 * key or an output over out's limit (out then left as it was). */
int		 view_mail_render(const char *key, struct view_dict *,
		    struct sbuf *out, struct err *e)
		    __attribute__((warn_unused_result));
/* Forgets a compiled mail template; false when key was not compiled. */
bool		 view_mail_forget(const char *key);

#ifdef __cplusplus
}
#endif

#endif
