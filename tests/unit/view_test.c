/*
 * view_test.c - the view layer on the real templates/ directory: every
 * screen in both languages with a representative dictionary, escaping of
 * hostile values (text, attribute and URL contexts), refusal of broken
 * template sets (no pragma, unknown [[key]], catalogs out of step), mail
 * templates (text and HTML, errors naming the line), number formatting, and
 * a render-speed loop whose figure is printed, not asserted.
 * Run from the repository root.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../app/core/arena.h"
#include "../../app/core/err.h"
#include "../../app/core/sbuf.h"
#include "../../app/view/i18n.h"
#include "../../app/view/view.h"
#include "t.h"

#define HOSTILE		"<script>alert(\"x\")</script>"
#define HOSTILE_ATTR	"\"><img src=x onerror='alert(1)'>"

static const char *const langs[] = { "ja", "en" };

static void
frame(struct view_dict *d, bool admin)
{
	view_set(d, "CSRF", "tok-CSRF-123");
	view_set(d, "BACK", "/somewhere");
	view_section_show(d, "SIGNED_IN");
	view_set(d, "USER_LOGIN", "yamada");
	view_set(d, "USER_NAME", "山田 花子");
	view_section_show(d, admin ? "ROLE_ADMIN" : "ROLE_EDITOR");
	view_flash(d, "ok", "FLASH-TEXT");
}

static void
fill_login(struct view_dict *d)
{
	view_set(d, "CSRF", "tok-CSRF-123");
	view_set(d, "LOGIN", "kept-login");
	view_set(view_section_add(d, "ERROR"), "TEXT", "LOGIN-ERROR");
}

static void
fill_login_totp(struct view_dict *d)
{
	view_set(d, "CSRF", "tok-CSRF-123");
	view_field_error(d, "code", "CODE-ERROR");
}

static void
fill_dashboard(struct view_dict *d)
{
	struct view_dict *s;

	frame(d, true);
	s = view_section_add(d, "LAST_LOGIN");
	view_set(s, "AT", "2026-11-29 09:00 JST");
	view_set(s, "ADDR", "203.0.113.5");
	view_section_show(d, "TOTP_OFF");
	s = view_section_add(d, "ADMIN_FIGURES");
	view_set_count(s, "USERS_ACTIVE", 1234, "ja");
	view_set_count(s, "IP_RANGES", 3, "ja");
	view_set_count(s, "AUDIT_TODAY", 56789, "ja");
}

static void
fill_account(struct view_dict *d)
{
	struct view_dict *s;

	frame(d, false);
	view_section_show(d, "LANG_EN");
	view_set(view_section_add(d, "TZ_OPTION"), "NAME", "Asia/Tokyo");
	s = view_section_add(d, "TZ_OPTION");
	view_set(s, "NAME", "UTC");
	view_section_show(s, "SELECTED");
	view_set(view_section_add(d, "PASSWORD_CHANGED"), "AT", "2026-11-01");
	view_section_show(d, "TOTP_ON");
	view_field_error(d, "tz", "TZ-ERROR");
}

static void
fill_account_password(struct view_dict *d)
{
	frame(d, false);
	view_section_show(d, "FORCED");
	view_set_int(d, "MIN_LENGTH", 12);
	view_field_error(d, "new", "NEW-ERROR");
}

static void
fill_account_totp(struct view_dict *d)
{
	struct view_dict *s;

	frame(d, true);
	view_section_show(d, "REQUIRED");
	view_section_show(d, "SETUP");
	view_section_groups(d, "SECRET_GROUP", "JBSWY3DPEHPK3PXPJBSW", 4);
	view_set(d, "OTPAUTH_URI", "otpauth://totp/Tegami:yamada?"
	    "secret=JBSWY3DPEHPK3PXP&issuer=Tegami");
	s = view_section_add(d, "RECOVERY");
	view_set(view_section_add(s, "RECOVERY_CODE"), "CODE", "abcd-efgh");
	view_set(view_section_add(s, "RECOVERY_CODE"), "CODE", "ijkl-mnop");
	view_section_show(d, "ON");
	view_set(view_section_add(d, "ENABLED_AT"), "AT", "2026-11-02");
	view_section_show(d, "OFF");
}

static void
fill_users(struct view_dict *d)
{
	struct view_dict *r;

	frame(d, true);
	view_set_count(d, "COUNT", 2, "ja");
	view_section_show(d, "HAS_ROWS");
	r = view_section_add(d, "USER");
	view_set_int(r, "U_ID", 7);
	view_set(r, "U_LOGIN", "suzuki");
	view_set(r, "U_NAME", HOSTILE);
	view_section_show(r, "U_EDITOR");
	view_section_show(r, "U_DISABLED");
	view_section_show(r, "U_NEVER");
	view_section_show(r, "U_TOTP_OFF");
	r = view_section_add(d, "USER");
	view_set_int(r, "U_ID", 8);
	view_set(r, "U_LOGIN", "tanaka");
	view_set(r, "U_NAME", "田中");
	view_section_show(r, "U_ADMIN");
	view_section_show(r, "U_ACTIVE");
	view_set(view_section_add(r, "U_LAST_LOGIN"), "AT", "2026-11-28");
	view_section_show(r, "U_TOTP_ON");
}

static void
fill_user_form(struct view_dict *d)
{
	frame(d, true);
	view_section_show(d, "EDIT");
	view_set_int(d, "ID", 7);
	view_set(d, "LOGIN", "suzuki");
	view_set(d, "NAME", HOSTILE_ATTR);
	view_section_show(d, "ROLE_IS_ADMIN");
	view_section_show(d, "ACTIVE_CHECKED");
	view_set(view_section_add(d, "ONE_TIME_PASSWORD"), "PASSWORD",
	    "otp-9f8e7d6c");
	view_section_show(d, "U_NEVER");
	view_section_show(d, "U_TOTP_OFF");
	view_field_error(d, "name", "NAME-ERROR");
}

static void
fill_user_new(struct view_dict *d)
{
	frame(d, true);
	view_section_show(d, "NEW");
	view_set(d, "LOGIN", "new-login");
	view_set(d, "NAME", "");
	view_section_show(d, "ROLE_IS_EDITOR");
	view_field_error(d, "login", "LOGIN-TAKEN");
}

static void
fill_ip_ranges(struct view_dict *d)
{
	struct view_dict *r;

	frame(d, true);
	view_set(d, "CURRENT_ADDR", "198.51.100.7");
	view_section_show(d, "LOCKOUT");
	view_set(d, "FORM_CIDR", "192.0.2.0/24");
	view_set(d, "FORM_LABEL", HOSTILE_ATTR);
	view_set_count(d, "COUNT", 1, "ja");
	view_section_show(d, "HAS_ROWS");
	r = view_section_add(d, "RANGE");
	view_set_int(r, "R_ID", 3);
	view_set(r, "R_CIDR", "2001:db8::/32");
	view_set(r, "R_LABEL", "本社");
	view_set(r, "R_ADDED_BY", "yamada");
	view_set(r, "R_ADDED_AT", "2026-11-29 10:00 JST");
	view_section_show(r, "R_HOLDS_YOU");
	view_field_error(d, "cidr", "CIDR-ERROR");
}

static void
fill_ip_form(struct view_dict *d)
{
	frame(d, true);
	view_set(d, "CURRENT_ADDR", "198.51.100.7");
	view_set_int(d, "ID", 3);
	view_set(d, "CIDR", "2001:db8::/32");
	view_set(d, "FORM_CIDR", "2001:db8::/48");
	view_set(d, "FORM_LABEL", "本社");
	view_set(d, "ADDED_BY", "yamada");
	view_set(d, "ADDED_AT", "2026-11-29 10:00 JST");
	view_section_show(d, "LOCKOUT_DELETE");
}

static void
fill_audit(struct view_dict *d)
{
	struct view_dict *r;

	frame(d, true);
	view_set(d, "F_ACTOR", "yamada");
	view_set(d, "ZONE", "Asia/Tokyo");
	r = view_section_add(d, "ACTION_OPTION");
	view_set(r, "VALUE", "login");
	view_set(r, "LABEL", "login");
	view_section_show(r, "SELECTED");
	view_set_count(d, "COUNT", 1, "ja");
	view_section_show(d, "HAS_ROWS");
	r = view_section_add(d, "ROW");
	view_set(r, "A_AT", "2026-11-29 10:00:00 JST");
	view_set(r, "A_ACTOR", "yamada");
	view_set(r, "A_ADDR", "203.0.113.5");
	view_set(r, "A_ACTION", "login");
	view_set(r, "A_DETAIL", HOSTILE);
	view_set(view_section_add(d, "NEWER"), "HREF", "javascript:alert(1)");
	view_set(view_section_add(d, "OLDER"), "HREF",
	    "/admin/audit?before=123&actor=a\"b");
}

static void
fill_security(struct view_dict *d)
{
	frame(d, true);
	view_section_show(d, "REQUIRE_TOTP_ADMIN");
	view_set_count(view_section_add(d, "ADMINS_WITHOUT_TOTP"), "COUNT", 2,
	    "ja");
}

static void
fill_error(struct view_dict *d)
{
	view_set_int(d, "STATUS", 413);
	view_set(d, "MESSAGE", "MESSAGE-TEXT");
	view_set(d, "DETAIL", "9000 > 8192 bytes");
	view_section_show(d, "HAS_DETAIL");
}

static void
fill_none(struct view_dict *d)
{
	(void)d;
}

struct screen_case {
	const char	*name;
	bool		 bare;
	void		(*fill)(struct view_dict *);
	const char	*want[4];	/* must appear in the output */
};

static const struct screen_case screens[] = {
	{ "login", false, fill_login, { "kept-login", "LOGIN-ERROR",
	    "href=\"?lang=en\"", NULL } },
	{ "login_totp", false, fill_login_totp, { "id=\"error-code\"",
	    "CODE-ERROR", "autocomplete=\"one-time-code\"", NULL } },
	{ "dashboard", false, fill_dashboard, { "56,789", "1,234",
	    "山田 花子", "203.0.113.5" } },
	{ "account", false, fill_account, { "value=\"UTC\" selected",
	    "value=\"en\" lang=\"en\" selected", "TZ-ERROR", "2026-11-01" } },
	{ "account_password", false, fill_account_password, {
	    "minlength=\"12\"", "NEW-ERROR", "flash-warn", NULL } },
	{ "account_totp", false, fill_account_totp, { "<code>JBSW</code> "
	    "<code>Y3DP</code>", "abcd-efgh", "name=\"confirm\"",
	    "2026-11-02" } },
	{ "users", false, fill_users, { "href=\"/admin/users/7\"", "tanaka",
	    "status-off", "href=\"/admin/users/new\"" } },
	{ "user_form", false, fill_user_form, {
	    "<code id=\"one-time-password\">otp-9f8e7d6c</code>",
	    "action=\"/admin/users/7\"", "value=\"admin\" selected",
	    "NAME-ERROR" } },
	{ "user_form", false, fill_user_new, {
	    "action=\"/admin/users/new\"", "value=\"new-login\"",
	    "LOGIN-TAKEN", "value=\"editor\" selected" } },
	{ "ip_ranges", false, fill_ip_ranges, { "198.51.100.7",
	    "2001:db8::/32", "name=\"confirm\" type=\"checkbox\" value=\"1\"",
	    "CIDR-ERROR" } },
	{ "ip_form", false, fill_ip_form, { "action=\"/admin/ip/3/delete\"",
	    "2001:db8::/48", "id=\"delete\"", "198.51.100.7" } },
	{ "audit", false, fill_audit, { "Asia/Tokyo", "href=\"#\"",
	    "before=123&amp;actor=a", "2026-11-29 10:00:00 JST" } },
	{ "security", false, fill_security, { "checked",
	    "action=\"/admin/security\"", NULL, NULL } },
	{ "error", true, fill_error, { "413", "MESSAGE-TEXT",
	    "9000 &gt; 8192 bytes", NULL } },
	{ "forbidden_ip", true, fill_none, { "403", NULL, NULL, NULL } },
};

static size_t
count(const char *hay, const char *needle)
{
	size_t	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* True when a tag carries an on...= attribute (outside quoted values). */
static bool
has_handler(const char *p)
{
	char	 q = 0;
	bool	 in_tag = false;
	size_t	 k;

	for (; *p != '\0'; p++) {
		if (!in_tag) {
			in_tag = *p == '<';
			continue;
		}
		if (q != 0) {
			if (*p == q)
				q = 0;
			continue;
		}
		if (*p == '"' || *p == '\'')
			q = *p;
		else if (*p == '>')
			in_tag = false;
		else if ((*p == ' ' || *p == '\n') && strncmp(p + 1, "on", 2) ==
		    0) {
			for (k = 3; p[k] >= 'a' && p[k] <= 'z'; k++)
				;
			if (k > 3 && p[k] == '=')
				return true;
		}
	}
	return false;
}

static void
test_init(void)
{
	struct err	 e;

	err_clear(&e);
	T_OK(view_init("templates", &e) == 0, "templates/ loads (%s)", e.msg);
}

/* Void elements of HTML: no end tag. */
static bool
void_tag(const char *t, size_t n)
{
	static const char *const v[] = { "meta", "link", "img", "input",
	    "br", "hr", "source", "col", "area", "base", "wbr", NULL };
	size_t	 i;

	for (i = 0; v[i] != NULL; i++)
		if (strlen(v[i]) == n && strncmp(v[i], t, n) == 0)
			return true;
	return false;
}

/* NULL when every element is closed in order, else what went wrong. */
static const char *
tag_balance(const char *p, char *why, size_t whylen)
{
	const char	*stack[128];
	size_t		 len[128], depth = 0, n;
	bool		 end;

	while ((p = strchr(p, '<')) != NULL) {
		p++;
		if (*p == '!') {		/* doctype or comment */
			p = strchr(p, '>');
			if (p == NULL)
				break;
			continue;
		}
		end = *p == '/';
		if (end)
			p++;
		for (n = 0; (p[n] >= 'a' && p[n] <= 'z') ||
		    (p[n] >= '0' && p[n] <= '9'); n++)
			;
		if (n == 0 || void_tag(p, n))
			continue;
		if (!end) {
			if (depth == 128)
				return "too deep";
			stack[depth] = p;
			len[depth++] = n;
			continue;
		}
		if (depth == 0 || len[depth - 1] != n ||
		    strncmp(stack[depth - 1], p, n) != 0) {
			snprintf(why, whylen, "</%.*s> closes <%.*s>", (int)n,
			    p, depth ? (int)len[depth - 1] : 0,
			    depth ? stack[depth - 1] : "");
			return why;
		}
		depth--;
	}
	if (depth != 0) {
		snprintf(why, whylen, "<%.*s> never closed",
		    (int)len[depth - 1], stack[depth - 1]);
		return why;
	}
	return NULL;
}

/* With VIEW_DUMP_DIR set, each rendered screen is kept as <lang>-<name>.html
 * there (to look at, or to screenshot). */
static void
dump(const char *name, const char *lang, const char *html)
{
	const char	*dir = getenv("VIEW_DUMP_DIR");
	char		 path[1024];
	FILE		*f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%.900s/%s-%s.html", dir, lang, name);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(html, f);
		fclose(f);
	}
}

/* Every screen, both languages, with structural checks. */
static void
test_screens(void)
{
	struct arena		*a = arena_new(0);
	struct view_dict	*d;
	struct sbuf		 out;
	struct err		 e;
	const struct screen_case *c;
	char			 want[128], why[160];
	const char		*bal;
	size_t			 i, l, k;
	int			 rc;

	for (i = 0; i < sizeof(screens) / sizeof(screens[0]); i++)
	for (l = 0; l < 2; l++) {
		c = &screens[i];
		arena_reset(a);
		err_clear(&e);
		sbuf_init(&out, a, 0);
		d = view_dict_new(a);
		c->fill(d);
		if (c->bare)
			rc = view_render_bare(c->name, langs[l], d, &out, &e);
		else
			rc = view_render_page(c->name, langs[l], d, &out, &e);
		T_OK(rc == 0, "%s/%s renders (%s)", langs[l], c->name, e.msg);
		if (rc != 0)
			continue;
		dump(c->name, langs[l], out.p);
		snprintf(want, sizeof(want), "id=\"page-%s\"", c->name);
		T_OK(strstr(out.p, want) != NULL, "%s/%s has %s", langs[l],
		    c->name, want);
		snprintf(want, sizeof(want), "<html lang=\"%s\">", langs[l]);
		T_OK(strstr(out.p, want) != NULL, "%s/%s is %s", langs[l],
		    c->name, want);
		T_OK(strstr(out.p, "[[") == NULL && strstr(out.p, "{{") == NULL,
		    "%s/%s has no markup left", langs[l], c->name);
		bal = tag_balance(out.p, why, sizeof(why));
		T_OK(bal == NULL, "%s/%s: elements balanced%s%s", langs[l],
		    c->name, bal ? ": " : "", bal ? bal : "");
		T_OK(count(out.p, "method=\"post\"") ==
		    count(out.p, "name=\"csrf\" value=\"tok-CSRF-123\""),
		    "%s/%s: every POST form carries the csrf field", langs[l],
		    c->name);
		T_OK(strstr(out.p, "style=") == NULL &&
		    strstr(out.p, "<script") == NULL &&
		    !has_handler(out.p),
		    "%s/%s has no inline style, script or handler", langs[l],
		    c->name);
		for (k = 0; k < 4 && c->want[k] != NULL; k++)
			T_OK(strstr(out.p, c->want[k]) != NULL,
			    "%s/%s shows %s", langs[l], c->name, c->want[k]);
		if (!c->bare) {
			T_OK(strstr(out.p, "FLASH-TEXT") != NULL ||
			    strstr(c->name, "login") != NULL,
			    "%s/%s shows the flash", langs[l], c->name);
			T_OK(strstr(out.p, "class=\"flash flash-ok\" "
			    "role=\"status\"") != NULL ||
			    strstr(c->name, "login") != NULL,
			    "%s/%s flash hook", langs[l], c->name);
		}
	}
	arena_free(a);
}

/* Text in both languages differs and the navigation follows the role. */
static void
test_layout(void)
{
	struct arena		*a = arena_new(0);
	struct view_dict	*d;
	struct sbuf		 out;
	struct err		 e;

	sbuf_init(&out, a, 0);
	d = view_dict_new(a);
	frame(d, false);
	T_OK(view_render_page("dashboard", "ja", d, &out, &e) == 0,
	    "editor dashboard renders");
	T_OK(strstr(out.p, "href=\"/admin/users\"") == NULL,
	    "an editor sees no administrator navigation");
	T_OK(strstr(out.p, "<span id=\"current-user\"") == NULL &&
	    strstr(out.p, "id=\"current-user\">yamada</span>") != NULL,
	    "the signed-in login is in #current-user");
	T_OK(strstr(out.p, "<a href=\"/\" aria-current=\"page\">") != NULL,
	    "the dashboard item is marked current");
	T_OK(strstr(out.p, "ダッシュボード") != NULL, "ja text");
	T_OK(strstr(out.p, "value=\"ja\" lang=\"ja\" aria-current=\"true\"")
	    != NULL, "the current language is marked");
	T_OK(strstr(out.p, "action=\"/account/lang\"") != NULL &&
	    strstr(out.p, "action=\"/logout\"") != NULL,
	    "language switch and sign-out forms");
	sbuf_reset(&out);
	d = view_dict_new(a);
	frame(d, true);
	T_OK(view_render_page("users", "en", d, &out, &e) == 0,
	    "admin users renders in en");
	T_OK(strstr(out.p, "href=\"/admin/users\" aria-current=\"page\"") !=
	    NULL, "an administrator sees Users, marked current");
	T_OK(strstr(out.p, "Allowed IP ranges") != NULL &&
	    strstr(out.p, "ダッシュボード") == NULL, "en text only");
	T_OK(strstr(out.p, "/campaigns") == NULL,
	    "no navigation to screens of later issues");
	sbuf_reset(&out);
	d = view_dict_new(a);
	T_OK(view_render_page("login", "fr", d, &out, &e) == 0 &&
	    strstr(out.p, "<html lang=\"ja\">") != NULL,
	    "an unknown language renders the default (ja)");
	T_OK(strstr(out.p, "action=\"/logout\"") == NULL &&
	    strstr(out.p, "class=\"sidenav\"") == NULL,
	    "signed out: no navigation, no sign-out");
	sbuf_reset(&out);
	T_OK(view_render_page("nosuch", "ja", d, &out, &e) == -1 &&
	    e.kind == ERR_NOT_FOUND && out.len == 0,
	    "an unknown screen is refused, nothing written");
	T_OK(view_render_page("error", "ja", d, &out, &e) == -1,
	    "a bare page is not available inside the layout");
	T_OK(view_render_bare("login", "ja", d, &out, &e) == 0 &&
	    strstr(out.p, "<html") == NULL && strstr(out.p, "id=\"login\"")
	    != NULL, "a screen renders bare as a fragment");
	sbuf_reset(&out);
	T_OK(view_render_bare("forbidden_ip", "en", NULL, &out, &e) == 0 &&
	    strstr(out.p, "class=\"sidenav\"") == NULL,
	    "forbidden_ip renders with no dictionary and no navigation");
	T_OK(view_render_page("login", "ja", NULL, &out, &e) == -1,
	    "a page without a dictionary is refused");
	arena_free(a);
}

/* Hostile values come out escaped in text, attribute and URL contexts. */
static void
test_escaping(void)
{
	struct arena		*a = arena_new(0);
	struct view_dict	*d;
	struct sbuf		 out;
	struct err		 e;

	sbuf_init(&out, a, 0);
	d = view_dict_new(a);
	fill_users(d);
	view_set(d, "USER_NAME", HOSTILE);
	view_set(d, "BACK", HOSTILE_ATTR);
	T_OK(view_render_page("users", "ja", d, &out, &e) == 0, "renders");
	T_OK(strstr(out.p, "<script") == NULL, "no <script> gets through");
	T_OK(strstr(out.p, "&lt;script&gt;alert(&quot;x&quot;)"
	    "&lt;/script&gt;") != NULL, "text context escaped");
	T_OK(strstr(out.p, "value=\"&quot;&gt;&lt;img src=x "
	    "onerror=&#39;alert(1)&#39;&gt;\"") != NULL,
	    "attribute context escaped");
	T_OK(strstr(out.p, "<img src=x") == NULL, "no injected tag");
	sbuf_reset(&out);
	d = view_dict_new(a);
	fill_audit(d);
	T_OK(view_render_page("audit", "en", d, &out, &e) == 0 &&
	    strstr(out.p, "javascript:") == NULL,
	    "a javascript: URL is neutralised in href");
	T_OK(strstr(out.p, "actor=a&quot;b") != NULL ||
	    strstr(out.p, "actor=a%22b") != NULL, "a quote in a URL escaped");
	arena_free(a);
}

static void
put_file(const char *dir, const char *name, const char *text)
{
	char	 path[1024];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static const char good_ja[] = "# test\nt.title = タイトル\nt.lead = 説明\n"
    "hello = こんにちは {{NAME}}\n";
static const char good_en[] = "t.title = Title\nt.lead = Lead\n"
    "hello = Hello {{NAME}}\n";
static const char good_layout[] = "{{%AUTOESCAPE context=\"HTML\"}}\n"
    "<html lang=\"[[@lang]]\"><h1>[[@screen.title]]</h1>[[@body]]</html>\n";

struct refusal_case {
	const char	*name;
	const char	*ja, *en, *layout, *screen;
	const char	*want;		/* in the message */
};

static const struct refusal_case refusals[] = {
	{ "no pragma", good_ja, good_en, good_layout,
	    "<p>[[hello]]</p>\n", "t.tpl:1: a template must start with" },
	{ "pragma not first", good_ja, good_en, good_layout,
	    "\n{{%AUTOESCAPE context=\"HTML\"}}\n<p></p>\n", "must start" },
	{ "layout without pragma", good_ja, good_en, "<html>[[@body]]</html>\n",
	    "{{%AUTOESCAPE context=\"HTML\"}}\n<p></p>\n", "layout.tpl:1" },
	{ "unknown key", good_ja, good_en, good_layout,
	    "{{%AUTOESCAPE context=\"HTML\"}}\n<p>\n[[nokey]]</p>\n",
	    "t.tpl:3: [[nokey]] is not in the catalogs" },
	{ "en lacks a key", good_ja, "t.title = Title\nt.lead = Lead\n",
	    good_layout, "{{%AUTOESCAPE context=\"HTML\"}}\n<p></p>\n",
	    "key \"hello\" is missing from en.txt" },
	{ "ja lacks a key", "t.title = a\nt.lead = b\n", good_en, good_layout,
	    "{{%AUTOESCAPE context=\"HTML\"}}\n<p></p>\n",
	    "key \"hello\" is missing from ja.txt" },
	{ "placeholders differ", good_ja, "t.title = Title\nt.lead = Lead\n"
	    "hello = Hello {{NAME2}}\n", good_layout,
	    "{{%AUTOESCAPE context=\"HTML\"}}\n", "other {{placeholders}}" },
	{ "handler placeholders differ", "t.title = a\nt.lead = b\n"
	    "hello = {n} 秒\n", "t.title = a\nt.lead = b\nhello = {m} s\n",
	    good_layout, "{{%AUTOESCAPE context=\"HTML\"}}\n",
	    "other {{placeholders}}" },
	{ "duplicate key", "t.title = a\nt.lead = b\nhello = x\nhello = y\n",
	    good_en, good_layout, "{{%AUTOESCAPE context=\"HTML\"}}\n",
	    "ja.txt:4: key \"hello\" is already defined on line 3" },
	{ "malformed catalog line", "t.title = a\nt.lead = b\nhello\n",
	    good_en, good_layout, "{{%AUTOESCAPE context=\"HTML\"}}\n",
	    "ja.txt:3: expected `key = text`" },
	{ "bad UTF-8", "t.title = a\nt.lead = b\nhello = \xff\n", good_en,
	    good_layout, "{{%AUTOESCAPE context=\"HTML\"}}\n",
	    "ja.txt:3: not valid UTF-8" },
	{ "raw output", good_ja, good_en, good_layout,
	    "{{%AUTOESCAPE context=\"HTML\"}}\n<p>{{X:none}}</p>\n",
	    "t.tpl:2: {{X:none}}: no modifiers" },
	{ "unclosed section", good_ja, good_en, good_layout,
	    "{{%AUTOESCAPE context=\"HTML\"}}\n{{#ROWS}}\n<p>\n",
	    "t.tpl:2: {{#ROWS}} is never closed" },
	{ "screen without title", "t.lead = b\nhello = x\n",
	    "t.lead = b\nhello = x\n", good_layout,
	    "{{%AUTOESCAPE context=\"HTML\"}}\n", "[[t.title]] is not in" },
	{ "no catalogs", NULL, NULL, good_layout,
	    "{{%AUTOESCAPE context=\"HTML\"}}\n", "ja.txt: cannot open" },
};

static void
test_refusals(void)
{
	const char		*base = getenv("TEGAMI_TEST_TMP");
	char			 dir[256], sub[512], cmd[512];
	struct err		 e;
	struct arena		*a = arena_new(0);
	struct view_dict	*d;
	struct sbuf		 out;
	size_t			 i;

	snprintf(dir, sizeof(dir), "%s/view_test.%ld",
	    base != NULL ? base : "/tmp", (long)getpid());
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const struct refusal_case *c = &refusals[i];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			continue;
		mkdir(dir, 0700);
		snprintf(sub, sizeof(sub), "%s/i18n", dir);
		mkdir(sub, 0700);
		snprintf(sub, sizeof(sub), "%s/screens", dir);
		mkdir(sub, 0700);
		if (c->ja != NULL)
			put_file(dir, "i18n/ja.txt", c->ja);
		if (c->en != NULL)
			put_file(dir, "i18n/en.txt", c->en);
		put_file(dir, "layout.tpl", c->layout);
		put_file(dir, "screens/t.tpl", c->screen);
		err_clear(&e);
		T_OK(view_init(dir, &e) == -1 && strstr(e.msg, c->want) !=
		    NULL, "%s refused: %s", c->name, e.msg);
	}
	/* the same scaffold with good files loads, then we go back */
	put_file(dir, "i18n/ja.txt", good_ja);
	put_file(dir, "i18n/en.txt", good_en);
	put_file(dir, "layout.tpl", good_layout);
	put_file(dir, "screens/t.tpl", "{{%AUTOESCAPE context=\"HTML\"}}\n"
	    "<p>[[hello]]</p>\n");
	err_clear(&e);
	T_OK(view_init(dir, &e) == 0, "a minimal good set loads (%s)", e.msg);
	sbuf_init(&out, a, 0);
	d = view_dict_new(a);
	view_set(d, "NAME", HOSTILE);
	T_OK(view_render_page("t", "ja", d, &out, &e) == 0 &&
	    strcmp(out.p, "<html lang=\"ja\"><h1>タイトル</h1><p>こんにちは "
	    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>\n"
	    "</html>\n") == 0, "catalog placeholder filled, escaped: %s",
	    out.p ? out.p : "");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	T_OK(system(cmd) == 0, "temp dir removed");
	/* a failed init keeps what was loaded before */
	err_clear(&e);
	T_OK(view_init("/nonexistent-tegami", &e) == -1, "missing dir refused");
	sbuf_reset(&out);
	T_OK(view_render_page("t", "en", d, &out, &e) == 0,
	    "after a refusal the previous set is still in use");
	err_clear(&e);
	T_OK(view_init("templates", &e) == 0, "templates/ loads again");
	arena_free(a);
}

/* Catalog parity of the real catalogs and text lookup. */
static void
test_catalogs(void)
{
	struct err	 e;
	struct i18n	*cat;

	err_clear(&e);
	cat = i18n_load("templates/i18n", &e);
	T_OK(cat != NULL, "real catalogs load, same keys (%s)", e.msg);
	T_OK(i18n_count(cat) > 100, "catalogs hold %zu keys", i18n_count(cat));
	i18n_free(cat);
	T_STREQ(i18n_text("ja", "nav.users"), "ユーザー管理", "ja term");
	T_STREQ(i18n_text("en", "nav.users"), "Users", "en term");
	T_STREQ(i18n_text("en", "nav.ip_ranges"), "Allowed IP ranges",
	    "en term, UI.md");
	T_STREQ(i18n_text("ja", "no.such.key"), "no.such.key",
	    "a missing key falls back to the key");
	T_STREQ(i18n_text("xx", "nav.audit"), "監査ログ",
	    "an unknown language reads the default");
	T_STREQ(i18n_text("en", "msg.cidr_duplicate"),
	    "This range is already registered.", "plain-words message");
}

struct mail_case {
	const char	*name;
	const char	*text;
	bool		 html;
	int		 line;		/* 0: compiles */
	const char	*want;		/* in the message, or output */
};

static const struct mail_case mails[] = {
	{ "text is raw", "Dear {{NAME}},\n\nBye\n", false, 0,
	    "Dear <b>&\"x\",\n\nBye\n" },
	{ "html is escaped", "<p>Dear {{NAME}}</p>\n", true, 0,
	    "<p>Dear &lt;b&gt;&amp;&quot;x&quot;</p>\n" },
	{ "html with pragma", "{{%AUTOESCAPE context=\"HTML\"}}<a href=\""
	    "{{URL}}\">x</a>", true, 0, "<a href=\"#\">x</a>" },
	{ "sections", "{{#ROW}}[{{N}}]{{/ROW}}", false, 0, "[1][2]" },
	{ "unclosed section", "a\n{{#ROW}}\nb\n", false, 2,
	    "line 2: {{#ROW}} is never closed" },
	{ "mismatched close", "a\nb\n{{#A}}{{/B}}\n", true, 3,
	    "line 3: {{/B}} while {{#A}} (line 3) is still open" },
	{ "stray close", "{{/A}}", false, 1, "closes no open section" },
	{ "unclosed marker", "a\n\nHello {{NAME\n", false, 3,
	    "line 3: a {{ marker is never closed" },
	{ "bad name", "x\n{{NA ME}}", false, 2, "bad variable name" },
	{ "include refused", "{{>OTHER}}", false, 1, "includes" },
	{ "late pragma", "x{{%AUTOESCAPE context=\"HTML\"}}", false, 1,
	    "pragma" },
	{ "no raw output in html", "<p>\n{{NAME:none}}</p>", true, 2,
	    "no modifiers in HTML templates" },
	{ "modifiers in text", "{{NAME:u}}", false, 0, "%3Cb%3E%26%22x%22" },
};

static void
test_mail(void)
{
	struct arena		*a = arena_new(0);
	struct view_dict	*d, *r;
	struct sbuf		 out;
	struct err		 e;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof(mails) / sizeof(mails[0]); i++) {
		const struct mail_case *c = &mails[i];

		err_clear(&e);
		rc = view_mail_compile("m", c->text, strlen(c->text), c->html,
		    &e);
		if (c->line != 0) {
			T_OK(rc == -1 && e.line == c->line &&
			    strstr(e.msg, c->want) != NULL,
			    "%s: refused on line %d: %s", c->name, c->line,
			    e.msg);
			continue;
		}
		T_OK(rc == 0, "%s: compiles (%s)", c->name, e.msg);
		arena_reset(a);
		sbuf_init(&out, a, 0);
		d = view_dict_new(a);
		view_set(d, "NAME", "<b>&\"x\"");
		view_set(d, "URL", "javascript:alert(1)");
		r = view_section_add(d, "ROW");
		view_set_int(r, "N", 1);
		r = view_section_add(d, "ROW");
		view_set_int(r, "N", 2);
		T_OK(view_mail_render("m", d, &out, &e) == 0 &&
		    strcmp(out.p, c->want) == 0, "%s: renders \"%s\"", c->name,
		    out.p ? out.p : "");
	}
	arena_reset(a);
	sbuf_init(&out, a, 0);
	d = view_dict_new(a);
	T_OK(view_mail_compile_text("k1", "one", 3, &e) == 0 &&
	    view_mail_compile_text("k1", "two", 3, &e) == 0 &&
	    view_mail_render("k1", d, &out, &e) == 0 &&
	    strcmp(out.p, "two") == 0, "a recompile replaces");
	T_OK(view_mail_forget("k1") && !view_mail_forget("k1"), "forget");
	sbuf_reset(&out);
	T_OK(view_mail_render("k1", d, &out, &e) == -1 &&
	    e.kind == ERR_NOT_FOUND && out.len == 0, "unknown key refused");
	T_OK(view_mail_compile("bad key", "x", 1, false, &e) == -1 &&
	    view_mail_compile("", "x", 1, false, &e) == -1 &&
	    view_mail_compile("../etc/passwd\n", "x", 1, false, &e) == -1,
	    "bad keys refused");
	T_OK(view_mail_compile("nul", "a\0b", 3, false, &e) == -1,
	    "a NUL byte refused");
	T_OK(view_mail_render("/etc/passwd", d, &out, &e) == -1 &&
	    out.len == 0, "a render never reads files");
	/* output limit */
	sbuf_init(&out, a, 8);
	T_OK(view_mail_compile_html("big", "0123456789abcdef", 16, &e) == 0 &&
	    view_mail_render("big", d, &out, &e) == -1 &&
	    e.kind == ERR_TOO_LARGE && out.len == 0 && !sbuf_failed(&out),
	    "output over the limit refused, buffer left as it was");
	arena_free(a);
}

struct count_case {
	int64_t		 v;
	const char	*plain, *grouped;
};

static const struct count_case counts[] = {
	{ 0, "0", "0" },
	{ 999, "999", "999" },
	{ 1000, "1000", "1,000" },
	{ 1234567, "1234567", "1,234,567" },
	{ -1234, "-1234", "-1,234" },
	{ INT64_MAX, "9223372036854775807", "9,223,372,036,854,775,807" },
	{ INT64_MIN, "-9223372036854775808", "-9,223,372,036,854,775,808" },
};

static void
test_numbers(void)
{
	struct arena		*a = arena_new(0);
	struct view_dict	*d;
	struct sbuf		 out;
	struct err		 e;
	char			 want[80];
	size_t			 i;

	T_OK(view_mail_compile_text("num", "{{P}}|{{G}}|{{F}}", 17, &e) == 0,
	    "compiles");
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		arena_reset(a);
		sbuf_init(&out, a, 0);
		d = view_dict_new(a);
		view_set_int(d, "P", counts[i].v);
		view_set_count(d, "G", counts[i].v, "en");
		view_setf(d, "F", "%s-%d", "f", 7);
		snprintf(want, sizeof(want), "%s|%s|f-7", counts[i].plain,
		    counts[i].grouped);
		T_OK(view_mail_render("num", d, &out, &e) == 0, "render");
		T_STREQ(out.p, want, counts[i].plain);
	}
	arena_reset(a);
	sbuf_init(&out, a, 0);
	T_OK(view_mail_compile_text("g", "{{#G}}{{TEXT}}.{{/G}}", 21, &e) ==
	    0, "compiles");
	d = view_dict_new(a);
	view_section_groups(d, "G", "ABCDEFGHIJ", 4);
	T_OK(view_mail_render("g", d, &out, &e) == 0, "render groups");
	T_STREQ(out.p, "ABCD.EFGH.IJ.", "groups of four");
	/* setters take a NULL dictionary quietly */
	view_set(NULL, "X", "y");
	view_set_int(NULL, "X", 1);
	view_flash(NULL, "ok", "x");
	view_field_error(NULL, "f", "x");
	T_OK(view_section_add(NULL, "S") == NULL, "NULL dictionary tolerated");
	arena_free(a);
}

/* Login page renders per second (one thread); printed, not asserted. */
static void
test_speed(void)
{
	struct arena		*a = arena_new(0);
	struct view_dict	*d;
	struct sbuf		 out;
	struct err		 e;
	struct timespec		 t0, t1;
	const int		 n = 20000;
	double			 s;
	int			 i, bad = 0;
	size_t			 bytes = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		arena_reset(a);
		sbuf_init(&out, a, 0);
		d = view_dict_new(a);
		view_set(d, "CSRF", "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4");
		view_set(d, "BACK", "/login");
		view_set(d, "LOGIN", "");
		if (view_render_page("login", "ja", d, &out, &e) == -1)
			bad++;
		bytes = out.len;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	T_OK(bad == 0, "%d login pages rendered", n);
	printf("# view speed: login page (%zu bytes): %.0f pages/s on one "
	    "core (%.1f us each)\n", bytes, n / s, s * 1e6 / n);
	arena_free(a);
}

struct worker {
	int	 n;
	int	 bad;
	bool	 mail;
};

/* One request thread: its own arena and dictionaries; with mail set it also
 * recompiles and renders a shared mail key while others render. */
static void *
worker_run(void *arg)
{
	struct worker		*w = arg;
	struct arena		*a = arena_new(0);
	struct view_dict	*d;
	struct sbuf		 out;
	struct err		 e;
	int			 i;

	for (i = 0; i < w->n; i++) {
		arena_reset(a);
		sbuf_init(&out, a, 0);
		d = view_dict_new(a);
		view_set(d, "CSRF", "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4");
		view_set(d, "NAME", "x");
		if (view_render_page("login", i % 2 ? "en" : "ja", d, &out,
		    &e) == -1 || strstr(out.p, "id=\"page-login\"") == NULL)
			w->bad++;
		if (!w->mail)
			continue;
		sbuf_reset(&out);
		if ((i % 64 == 0 && view_mail_compile_text("shared",
		    "Hi {{NAME}}", 11, &e) == -1) ||
		    view_mail_render("shared", d, &out, &e) == -1 ||
		    strcmp(out.p, "Hi x") != 0)
			w->bad++;
	}
	arena_free(a);
	return NULL;
}

/* Two request threads at once (the web process is threaded): pages and mail
 * renders stay correct; pages per second are printed, not asserted. */
static void
test_threads(void)
{
	struct worker	 w[2] = { { 10000, 0, true }, { 10000, 0, true } };
	pthread_t	 t[2];
	struct timespec	 t0, t1;
	struct err	 e;
	double		 s;
	int		 i, started = 0;

	T_OK(view_mail_compile_text("shared", "Hi {{NAME}}", 11, &e) == 0,
	    "shared mail key");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, worker_run, &w[i]) == 0)
			started++;
	for (i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	T_OK(started == 2 && w[0].bad == 0 && w[1].bad == 0,
	    "two threads render pages and mail correctly (%d, %d bad)",
	    w[0].bad, w[1].bad);
	printf("# view speed: login page plus a mail body, two threads: "
	    "%.0f pages/s\n", (w[0].n + w[1].n) / s);
}

int
main(void)
{
	T_SUITE("view");
	T_RUN(test_init);
	T_RUN(test_screens);
	T_RUN(test_layout);
	T_RUN(test_escaping);
	T_RUN(test_refusals);
	T_RUN(test_catalogs);
	T_RUN(test_mail);
	T_RUN(test_numbers);
	T_RUN(test_speed);
	T_RUN(test_threads);
	return t_done("view");
}
