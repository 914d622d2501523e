/*
 * view_bridge.cc - the C API of view.h over ctemplate (the only C++ file).
 *
 * Screens: view_init() reads templates/ once, substitutes catalog text
 * ([[key]], HTML-escaped) per language, splices each screen into the layout,
 * and registers "<lang>/<name>" (bare) and "<lang>/page/<name>" (in the
 * layout) in a private ctemplate cache that is then frozen: requests expand
 * with ExpandNoLoad(), which never touches the disk. Every screen must open
 * with the AUTOESCAPE HTML pragma, so values are escaped by context (HTML
 * text, quoted attribute, URL) by ctemplate itself.
 *
 * Mail bodies: compiled from strings at any time into ctemplate Template
 * objects held in a map behind a reader/writer lock; a render holds a
 * reference, so a recompile never pulls a template from under it.
 *
 * No C++ exception crosses into C: every entry point catches them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_dictionary.h>
#include <ctemplate/template_emitter.h>

extern "C" {
#include "../core/arena.h"
#include "../core/err.h"
#include "../core/sbuf.h"
}
#include "i18n.h"
#include "view.h"

using ctemplate::TemplateCache;
using ctemplate::TemplateDictionary;
using ctemplate::TemplateString;

namespace {

const char	 view_pragma[] = "{{%AUTOESCAPE context=\"HTML\"}}";
const size_t	 view_pragma_len = sizeof(view_pragma) - 1;
const char	 view_nav_tag[] = "{{!nav=";
const ctemplate::Strip view_strip = ctemplate::STRIP_BLANK_LINES;
const char *const view_langs[] = { "ja", "en" };

/* Installed by view_init() before threads start, read-only after. */
TemplateCache	*view_cache;

/* Compiled mail templates; guarded by view_mail_mu. */
std::shared_mutex view_mail_mu;
std::unordered_map<std::string,
    std::shared_ptr<const ctemplate::Template>> view_mail_map;

/* Appends ctemplate's output to an sbuf (which records overflow). */
class sbuf_emitter : public ctemplate::ExpandEmitter {
public:
	explicit sbuf_emitter(struct sbuf *b) : b_(b) {}
	void Emit(char c) override { sbuf_putc(b_, c); }
	void Emit(const std::string &s) override
	{
		sbuf_put(b_, s.data(), s.size());
	}
	void Emit(const char *s) override { sbuf_puts(b_, s); }
	void Emit(const char *s, size_t n) override { sbuf_put(b_, s, n); }
private:
	struct sbuf	*b_;
};

struct source {
	std::string	 name;		/* "login" */
	std::string	 path;		/* for messages */
	std::string	 text;
	std::string	 nav;		/* from {{!nav=x}}: nav group */
	bool		 bare;		/* from bare/: no layout */
};

int
line_at(const std::string &s, size_t off)
{
	return 1 + (int)std::count(s.begin(), s.begin() +
	    (std::ptrdiff_t)std::min(off, s.size()), '\n');
}

bool
name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

bool
name_ok(const std::string &s)
{
	return !s.empty() && std::all_of(s.begin(), s.end(), name_char);
}

/*
 * A syntax check of ctemplate markup that, unlike ctemplate's parser,
 * says which line is wrong: unclosed markers, unbalanced sections, bad
 * names, pragmas past the start, includes and delimiter changes (neither
 * is used by Tegami templates). Without `modifiers`, {{X:mod}} is refused
 * too, so that no HTML template can opt out of auto-escaping ({{X:none}}).
 * ctemplate still parses afterwards.
 */
bool
tpl_check(const std::string &s, bool modifiers, int *line, std::string *why)
{
	std::vector<std::pair<std::string, int>> open;
	size_t		 i = 0, j;

	while ((i = s.find("{{", i)) != std::string::npos) {
		*line = line_at(s, i);
		if ((j = s.find("}}", i + 2)) == std::string::npos) {
			*why = "a {{ marker is never closed with }}";
			return false;
		}
		std::string m = s.substr(i + 2, j - i - 2);
		/* "{{{X}}}": ctemplate reads the inner marker; so do we */
		while (!m.empty() && m[0] == '{') {
			m.erase(0, 1);
			i++;
		}
		if (!m.empty() && m[0] == '!') {
			i = j + 2;
			continue;
		}
		if (m.find('\n') != std::string::npos) {
			*why = "a {{marker}} must stay on one line";
			return false;
		}
		if (m.empty()) {
			*why = "an empty {{}} marker";
			return false;
		}
		switch (m[0]) {
		case '%':
			if (i != 0) {
				*why = "a {{%pragma}} may only open the "
				    "template";
				return false;
			}
			break;
		case '=':
			*why = "delimiter changes {{=...=}} are not supported";
			return false;
		case '>':
			*why = "includes {{>...}} are not supported";
			return false;
		case '#':
			if (!name_ok(m.substr(1))) {
				*why = "bad section name in {{" + m + "}}";
				return false;
			}
			open.emplace_back(m.substr(1), *line);
			break;
		case '/':
			if (open.empty()) {
				*why = "{{" + m + "}} closes no open section";
				return false;
			}
			if (open.back().first != m.substr(1)) {
				*why = "{{" + m + "}} while {{#" +
				    open.back().first + "}} (line " +
				    std::to_string(open.back().second) +
				    ") is still open";
				return false;
			}
			open.pop_back();
			break;
		default: {
			size_t	 c = m.find(':');
			if (!name_ok(m.substr(0, c))) {
				*why = "bad variable name in {{" + m + "}}";
				return false;
			}
			if (c != std::string::npos && !modifiers) {
				*why = "{{" + m + "}}: no modifiers in HTML "
				    "templates (escaping is automatic)";
				return false;
			}
			break;
		}
		}
		i = j + 2;
	}
	if (!open.empty()) {
		*line = open.back().second;
		*why = "{{#" + open.back().first + "}} is never closed";
		return false;
	}
	return true;
}

/* Catalog text into HTML: escaped, except {{NAME}} placeholders; other
 * braces become references so a catalog can never inject markup. */
void
put_catalog_text(std::string *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (s[0] == '{' && s[1] == '{') {
			const char *q = s + 2;
			while ((*q >= 'A' && *q <= 'Z') ||
			    (*q >= '0' && *q <= '9') || *q == '_')
				q++;
			if (q > s + 2 && q[0] == '}' && q[1] == '}') {
				out->append(s, (size_t)(q + 2 - s));
				s = q + 1;
				continue;
			}
		}
		switch (*s) {
		case '&':  out->append("&amp;"); break;
		case '<':  out->append("&lt;"); break;
		case '>':  out->append("&gt;"); break;
		case '"':  out->append("&quot;"); break;
		case '\'': out->append("&#39;"); break;
		case '{':  out->append("&#123;"); break;
		case '}':  out->append("&#125;"); break;
		default:   out->push_back(*s); break;
		}
	}
}

/*
 * Replaces [[...]] in src for one language. Besides catalog keys:
 * [[@body]] (the screen, layout only), [[@screen]] (its name), [[@lang]],
 * [[@screen.x]] (the catalog key <name>.x), [[@nav:g]] (aria-current when
 * the screen's navigation group is g), [[@lang:l]] (aria-current when the
 * language is l).
 */
int
expand(const std::string &src, const char *lang, const struct i18n *cat,
    const source &scr, const std::string *body, const std::string &path,
    std::string *out, struct err *e)
{
	size_t		 i = 0, a, b;
	const char	*text;

	out->clear();
	out->reserve(src.size() + (body ? body->size() : 0) + 1024);
	while ((a = src.find("[[", i)) != std::string::npos) {
		out->append(src, i, a - i);
		b = src.find("]]", a + 2);
		if (b == std::string::npos ||
		    src.find('\n', a) < b) {
			e->line = line_at(src, a);
			return err_set(e, ERR_INPUT, "%s:%d: [[ without ]] on "
			    "the same line", path.c_str(), e->line);
		}
		std::string k = src.substr(a + 2, b - a - 2);
		i = b + 2;
		if (k == "@body" && body != NULL) {
			out->append(*body);
			continue;
		}
		if (k == "@screen") {
			out->append(scr.name);
			continue;
		}
		if (k == "@lang") {
			out->append(lang);
			continue;
		}
		if (k.compare(0, 6, "@lang:") == 0) {
			if (k.substr(6) == lang)
				out->append(" aria-current=\"true\"");
			continue;
		}
		if (k.compare(0, 5, "@nav:") == 0) {
			if (k.substr(5) == scr.nav)
				out->append(" aria-current=\"page\"");
			continue;
		}
		if (k.compare(0, 8, "@screen.") == 0)
			k = scr.name + k.substr(7);
		text = i18n_lookup(cat, lang, k.data(), k.size());
		if (text == NULL) {
			e->line = line_at(src, a);
			return err_set(e, ERR_INPUT, "%s:%d: [[%s]] is not in "
			    "the catalogs", path.c_str(), e->line, k.c_str());
		}
		put_catalog_text(out, text);
	}
	out->append(src, i, std::string::npos);
	return 0;
}

int
read_file(const std::string &path, std::string *out, struct err *e)
{
	char	 buf[16384];
	ssize_t	 r;
	int	 fd;

	out->clear();
	if ((fd = open(path.c_str(), O_RDONLY | O_CLOEXEC)) == -1)
		return err_set(e, ERR_ENV, "%s: cannot open: %s",
		    path.c_str(), strerror(errno));
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		out->append(buf, (size_t)r);
		if (out->size() > VIEW_TEMPLATE_MAX) {
			close(fd);
			return err_set(e, ERR_TOO_LARGE, "%s: larger than %d "
			    "bytes", path.c_str(), VIEW_TEMPLATE_MAX);
		}
	}
	close(fd);
	if (r == -1)
		return err_set(e, ERR_ENV, "%s: read failed: %s",
		    path.c_str(), strerror(errno));
	if (out->find('\0') != std::string::npos)
		return err_set(e, ERR_INPUT, "%s: holds a NUL byte",
		    path.c_str());
	return 0;
}

/* Reads and checks one template file. */
int
load_source(const std::string &path, const std::string &name, bool bare,
    source *s, struct err *e)
{
	int		 line = 0;
	std::string	 why;
	size_t		 n;

	s->name = name;
	s->path = path;
	s->bare = bare;
	if (read_file(path, &s->text, e) == -1)
		return -1;
	if (s->text.compare(0, view_pragma_len, view_pragma) != 0) {
		e->line = 1;
		return err_set(e, ERR_INPUT, "%s:1: a template must start with "
		    "%s", path.c_str(), view_pragma);
	}
	if (!tpl_check(s->text, false, &line, &why)) {
		e->line = line;
		return err_set(e, ERR_INPUT, "%s:%d: %s", path.c_str(), line,
		    why.c_str());
	}
	s->nav = name;
	if ((n = s->text.find(view_nav_tag)) != std::string::npos) {
		size_t	 end = s->text.find("}}", n);
		s->nav = s->text.substr(n + sizeof(view_nav_tag) - 1,
		    end - n - (sizeof(view_nav_tag) - 1));
	}
	return 0;
}

/* The *.tpl files of dir, sorted; a missing dir is empty. */
int
list_dir(const std::string &dir, std::vector<std::string> *names,
    struct err *e)
{
	DIR		*d;
	struct dirent	*de;

	names->clear();
	if ((d = opendir(dir.c_str())) == NULL) {
		if (errno == ENOENT)
			return 0;
		return err_set(e, ERR_ENV, "%s: cannot list: %s", dir.c_str(),
		    strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		std::string f = de->d_name;
		if (f.size() <= 4 || f.compare(f.size() - 4, 4, ".tpl") != 0)
			continue;
		f.resize(f.size() - 4);
		if (!name_ok(f) || f.size() > VIEW_NAME_MAX) {
			closedir(d);
			return err_set(e, ERR_INPUT, "%s/%s.tpl: a template "
			    "name holds only a-z, 0-9 and '_'", dir.c_str(),
			    f.c_str());
		}
		names->push_back(f);
	}
	closedir(d);
	std::sort(names->begin(), names->end());
	return 0;
}

int
register_text(TemplateCache *c, const std::string &key,
    const std::string &text, const std::string &path, struct err *e)
{
	if (!c->StringToTemplateCache(key, text, view_strip))
		return err_set(e, ERR_INPUT, "%s: ctemplate refused the "
		    "template (%s; its message is in the log)", path.c_str(),
		    key.c_str());
	return 0;
}

int
build(const std::string &dir, const struct i18n *cat, TemplateCache *c,
    struct err *e)
{
	std::vector<source>	 srcs;
	std::vector<std::string> names;
	source			 layout;
	std::string		 body, page, bare;
	int			 pass;

	if (load_source(dir + "/layout.tpl", "layout", true, &layout, e) == -1)
		return -1;
	for (pass = 0; pass < 2; pass++) {
		std::string sub = dir + (pass == 0 ? "/screens" : "/bare");
		if (list_dir(sub, &names, e) == -1)
			return -1;
		for (const std::string &n : names) {
			srcs.emplace_back();
			if (load_source(sub + "/" + n + ".tpl", n, pass == 1,
			    &srcs.back(), e) == -1)
				return -1;
			for (const source &o : srcs)
				if (&o != &srcs.back() && o.name == n)
					return err_set(e, ERR_INPUT, "%s: the "
					    "name is also used by %s",
					    srcs.back().path.c_str(),
					    o.path.c_str());
		}
	}
	for (const char *lang : view_langs) {
		for (const source &s : srcs) {
			if (expand(s.text, lang, cat, s, NULL, s.path, &bare,
			    e) == -1 || register_text(c, std::string(lang) +
			    "/" + s.name, bare, s.path, e) == -1)
				return -1;
			if (s.bare)
				continue;
			/* the screen joins the layout without its pragma */
			body = bare.substr(view_pragma_len);
			if (!body.empty() && body[0] == '\n')
				body.erase(0, 1);
			if (expand(layout.text, lang, cat, s, &body,
			    layout.path + " (with " + s.path + ")", &page,
			    e) == -1 || register_text(c, std::string(lang) +
			    "/page/" + s.name, page, s.path, e) == -1)
				return -1;
		}
	}
	return 0;
}

} /* namespace */

struct view_dict {
	TemplateDictionary	*d;
	struct arena		*a;
};

namespace {

void
dict_delete(void *p)
{
	delete static_cast<TemplateDictionary *>(p);
}

/* Puts out back to len and its former failure state. */
void
sbuf_rewind(struct sbuf *out, size_t len, bool failed)
{
	out->len = len;
	out->failed = failed;
	if (out->p != NULL)
		out->p[len] = '\0';
}

int
render(const char *kind, const char *name, const char *lang,
    struct view_dict *vd, struct sbuf *out, struct err *e)
{
	char	 key[VIEW_NAME_MAX + 16];
	size_t	 nl, kl, len = out->len;
	bool	 failed = out->failed, ok;

	if ((vd == NULL || vd->d == NULL) && kind[1] != '\0')
		return err_set(e, ERR_ENV, "screen %s: no dictionary (out of "
		    "memory)", name);
	if (view_cache == NULL)
		return err_set(e, ERR_ENV, "screen %s: view_init() has not "
		    "run", name);
	nl = strlen(name);
	if (nl == 0 || nl > VIEW_NAME_MAX)
		return err_set(e, ERR_NOT_FOUND, "no such screen");
	lang = i18n_lang(lang);
	kl = 0;
	memcpy(key, lang, 2);
	kl += 2;
	memcpy(key + kl, kind, strlen(kind));
	kl += strlen(kind);
	memcpy(key + kl, name, nl);
	kl += nl;
	try {
		sbuf_emitter em(out);
		if (vd == NULL || vd->d == NULL) {
			TemplateDictionary none("none");
			ok = view_cache->ExpandNoLoad(TemplateString(key, kl),
			    view_strip, &none, NULL, &em);
		} else
			ok = view_cache->ExpandNoLoad(TemplateString(key, kl),
			    view_strip, vd->d, NULL, &em);
	} catch (...) {
		ok = false;
	}
	if (!ok) {
		sbuf_rewind(out, len, failed);
		return err_set(e, ERR_NOT_FOUND, "no screen named \"%.64s\"",
		    name);
	}
	if (sbuf_failed(out) && !failed) {
		sbuf_rewind(out, len, failed);
		return err_set(e, ERR_TOO_LARGE, "screen %s: the page is "
		    "larger than the output limit", name);
	}
	return 0;
}

bool
mail_key_ok(const char *key)
{
	size_t	 n = 0;

	if (key == NULL)
		return false;
	for (; key[n] != '\0'; n++)
		if (key[n] <= ' ' || key[n] > '~' || n >= VIEW_MAIL_KEY_MAX)
			return false;
	return n > 0;
}

} /* namespace */

extern "C" int
view_init(const char *templates_dir, struct err *e)
{
	struct i18n	*cat;
	TemplateCache	*c = NULL;
	std::string	 dir = templates_dir != NULL ? templates_dir : "";

	if ((cat = i18n_load((dir + "/i18n").c_str(), e)) == NULL)
		return -1;
	try {
		c = new TemplateCache();
		if (build(dir, cat, c, e) == -1) {
			delete c;
			i18n_free(cat);
			return -1;
		}
		c->Freeze();
	} catch (...) {
		delete c;
		i18n_free(cat);
		return err_set(e, ERR_ENV, "templates: out of memory");
	}
	delete view_cache;
	view_cache = c;
	i18n_install(cat);
	return 0;
}

extern "C" struct view_dict *
view_dict_new(struct arena *a)
{
	struct view_dict	*vd;

	if (a == NULL || (vd = static_cast<struct view_dict *>(
	    arena_alloc(a, sizeof(*vd)))) == NULL)
		return NULL;
	vd->a = a;
	try {
		vd->d = new TemplateDictionary("view");
	} catch (...) {
		return NULL;
	}
	if (arena_on_free(a, dict_delete, vd->d) == -1)
		return NULL;		/* the hook already deleted it */
	return vd;
}

extern "C" void
view_setn(struct view_dict *vd, const char *name, const char *value,
    size_t n)
{
	if (vd == NULL || name == NULL)
		return;
	try {
		vd->d->SetValue(TemplateString(name),
		    TemplateString(value != NULL ? value : "",
		    value != NULL ? n : 0));
	} catch (...) {
		/* the value is missing from the page; nothing else to do */
	}
}

extern "C" void
view_set(struct view_dict *vd, const char *name, const char *value)
{
	view_setn(vd, name, value, value != NULL ? strlen(value) : 0);
}

extern "C" void
view_setf(struct view_dict *vd, const char *name, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	if (vd == NULL)
		return;
	va_start(ap, fmt);
	s = arena_vprintf(vd->a, fmt, ap);
	va_end(ap);
	if (s != NULL)
		view_set(vd, name, s);
}

/* Decimal digits of v into the end of buf; sep (or 0) every three. */
static size_t
format_i64(char *buf, size_t cap, int64_t v, char sep)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t	 i = cap, digits = 0;

	do {
		if (sep != 0 && digits > 0 && digits % 3 == 0)
			buf[--i] = sep;
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
		digits++;
	} while (u > 0);
	if (v < 0)
		buf[--i] = '-';
	return i;
}

extern "C" void
view_set_int(struct view_dict *vd, const char *name, int64_t v)
{
	char	 buf[32];
	size_t	 i = format_i64(buf, sizeof(buf), v, 0);

	view_setn(vd, name, buf + i, sizeof(buf) - i);
}

extern "C" void
view_set_count(struct view_dict *vd, const char *name, int64_t v,
    const char *lang)
{
	char	 buf[32];
	size_t	 i;

	(void)lang;		/* ja and en both group by three with ',' */
	i = format_i64(buf, sizeof(buf), v, ',');
	view_setn(vd, name, buf + i, sizeof(buf) - i);
}

extern "C" void
view_set_text(struct view_dict *vd, const char *name, const char *lang,
    const char *key)
{
	view_set(vd, name, i18n_text(lang, key));
}

extern "C" struct view_dict *
view_section_add(struct view_dict *vd, const char *section)
{
	struct view_dict	*sub;

	if (vd == NULL || section == NULL || (sub = static_cast<
	    struct view_dict *>(arena_alloc(vd->a, sizeof(*sub)))) == NULL)
		return NULL;
	sub->a = vd->a;
	try {
		sub->d = vd->d->AddSectionDictionary(TemplateString(section));
	} catch (...) {
		return NULL;
	}
	return sub;
}

extern "C" void
view_section_show(struct view_dict *vd, const char *section)
{
	if (vd == NULL || section == NULL)
		return;
	try {
		vd->d->ShowSection(TemplateString(section));
	} catch (...) {
		/* the section stays hidden */
	}
}

extern "C" void
view_section_show_if(struct view_dict *vd, const char *section, bool cond)
{
	if (cond)
		view_section_show(vd, section);
}

extern "C" void
view_flash(struct view_dict *vd, const char *kind, const char *text)
{
	struct view_dict	*row = view_section_add(vd, "FLASH");

	view_set(row, "KIND", kind);
	view_set(row, "TEXT", text);
}

extern "C" void
view_field_error(struct view_dict *vd, const char *field, const char *text)
{
	struct view_dict	*row;
	char			*sec;

	if (vd == NULL || field == NULL ||
	    (sec = arena_printf(vd->a, "ERR_%s", field)) == NULL)
		return;
	row = view_section_add(vd, sec);
	view_set(row, "TEXT", text);
}

extern "C" void
view_section_groups(struct view_dict *vd, const char *section,
    const char *value, size_t group)
{
	size_t	 i, n;

	if (value == NULL || group == 0)
		return;
	n = strlen(value);
	for (i = 0; i < n; i += group)
		view_setn(view_section_add(vd, section), "TEXT", value + i,
		    n - i < group ? n - i : group);
}

extern "C" int
view_render_page(const char *name, const char *lang, struct view_dict *vd,
    struct sbuf *out, struct err *e)
{
	return render("/page/", name, lang, vd, out, e);
}

extern "C" int
view_render_bare(const char *name, const char *lang, struct view_dict *vd,
    struct sbuf *out, struct err *e)
{
	return render("/", name, lang, vd, out, e);
}

extern "C" int
view_mail_compile(const char *key, const char *text, size_t n, bool html,
    struct err *e)
{
	std::string	 src, why;
	int		 line = 0;

	if (!mail_key_ok(key))
		return err_set(e, ERR_INPUT, "a mail template key is 1 to %d "
		    "printable characters without spaces", VIEW_MAIL_KEY_MAX);
	if (text == NULL || n > VIEW_TEMPLATE_MAX)
		return err_set(e, ERR_TOO_LARGE, "the mail template is larger "
		    "than %d bytes", VIEW_TEMPLATE_MAX);
	if (memchr(text, '\0', n) != NULL)
		return err_set(e, ERR_INPUT, "the mail template holds a NUL "
		    "byte");
	try {
		if (html && (n < view_pragma_len ||
		    memcmp(text, view_pragma, view_pragma_len) != 0))
			src = view_pragma;	/* same line: numbers hold */
		src.append(text, n);
		if (!tpl_check(src, !html, &line, &why)) {
			e->line = line;
			return err_set(e, ERR_INPUT, "line %d: %s", line,
			    why.c_str());
		}
		ctemplate::Template *t = ctemplate::Template::StringToTemplate(
		    src, ctemplate::DO_NOT_STRIP);
		if (t == NULL)
			return err_set(e, ERR_INPUT, "the mail template cannot "
			    "be read (line unknown; ctemplate's message is in "
			    "the log)");
		std::shared_ptr<const ctemplate::Template> sp(t);
		std::unique_lock<std::shared_mutex> lock(view_mail_mu);
		view_mail_map[key] = sp;
	} catch (...) {
		return err_set(e, ERR_ENV, "mail template: out of memory");
	}
	return 0;
}

extern "C" int
view_mail_compile_html(const char *key, const char *text, size_t n,
    struct err *e)
{
	return view_mail_compile(key, text, n, true, e);
}

extern "C" int
view_mail_compile_text(const char *key, const char *text, size_t n,
    struct err *e)
{
	return view_mail_compile(key, text, n, false, e);
}

extern "C" int
view_mail_render(const char *key, struct view_dict *vd, struct sbuf *out,
    struct err *e)
{
	std::shared_ptr<const ctemplate::Template> t;
	size_t	 len = out->len;
	bool	 failed = out->failed, ok;

	if (vd == NULL || vd->d == NULL)
		return err_set(e, ERR_ENV, "mail: no dictionary (out of "
		    "memory)");
	if (!mail_key_ok(key))
		return err_set(e, ERR_NOT_FOUND, "no mail template under that "
		    "key");
	try {
		{
			std::shared_lock<std::shared_mutex> lock(view_mail_mu);
			auto it = view_mail_map.find(key);
			if (it != view_mail_map.end())
				t = it->second;
		}
		if (t == nullptr)
			return err_set(e, ERR_NOT_FOUND, "no mail template "
			    "\"%s\"", key);
		sbuf_emitter em(out);
		ok = t->Expand(&em, vd->d);
	} catch (...) {
		ok = false;
	}
	if (!ok) {
		sbuf_rewind(out, len, failed);
		return err_set(e, ERR_ENV, "mail template \"%s\" failed to "
		    "expand", key);
	}
	if (sbuf_failed(out) && !failed) {
		sbuf_rewind(out, len, failed);
		return err_set(e, ERR_TOO_LARGE, "mail \"%s\": larger than the "
		    "output limit", key);
	}
	return 0;
}

extern "C" bool
view_mail_forget(const char *key)
{
	if (!mail_key_ok(key))
		return false;
	try {
		std::unique_lock<std::shared_mutex> lock(view_mail_mu);
		return view_mail_map.erase(key) > 0;
	} catch (...) {
		return false;
	}
}
