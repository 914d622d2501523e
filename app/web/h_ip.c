/*
 * h_ip.c - the Allowed IP ranges screens (administrators): list, add, edit,
 * remove. Input is parsed strictly (the message names what is wrong); a
 * change that would shut out the administrator's own current address needs
 * an explicit confirmation; every change reaches the in-memory allow-list of
 * this process at once and other processes within seconds.
 */
#include <stdio.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/cidr.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../db/db_iprange.h"
#include "../view/i18n.h"
#include "../view/view.h"
#include "audit.h"
#include "form.h"
#include "handlers.h"
#include "iprange.h"
#include "resp.h"
#include "timefmt.h"

/* The stored ranges, parsed; *n counts them. */
static int
load(struct req *r, struct iprange_row **rows, size_t *n, struct cidr **v,
    struct err *e)
{
	size_t	 i;

	if (db_iprange_list(r->db, r->a, rows, n, e) == -1)
		return -1;
	if ((*v = arena_calloc(r->a, *n + 1, sizeof(**v))) == NULL)
		return err_set(e, ERR_ENV, "out of memory");
	for (i = 0; i < *n; i++) {
		struct err	 pe;

		if (cidr_parse(str_from((*rows)[i].cidr), &(*v)[i], &pe) ==
		    -1) {
			/* A damaged row admits nobody (ffff:...:ffff/128). */
			memset(&(*v)[i], 0, sizeof((*v)[i]));
			memset((*v)[i].net.b, 0xff, sizeof((*v)[i].net.b));
			(*v)[i].bits = 128;
		}
	}
	return 0;
}

static int
refresh_now(struct req *r)
{
	struct err	 e;

	err_clear(&e);
	if (iprange_reload(r->db, &e) == -1) {
		log_err("allow-list reload: %s", e.msg);
		return -1;
	}
	return 0;
}

static int
list_page(struct req *r, struct view_dict *d, int status)
{
	struct iprange_row	*rows;
	struct cidr		*v;
	struct err		 e;
	size_t			 n, i;

	err_clear(&e);
	if (load(r, &rows, &n, &v, &e) == -1)
		return -1;
	view_set(d, "CURRENT_ADDR", r->client_text);
	view_set_count(d, "COUNT", (int64_t)n, r->lang);
	view_section_show(d, n == 0 ? "EMPTY" : "HAS_ROWS");
	for (i = 0; i < n; i++) {
		struct view_dict	*row = view_section_add(d, "RANGE");
		char			 at[64];

		view_set_int(row, "R_ID", (int64_t)rows[i].id);
		view_set(row, "R_CIDR", rows[i].cidr);
		view_set(row, "R_LABEL", rows[i].label);
		view_set(row, "R_ADDED_BY", rows[i].created_by);
		timefmt(rows[i].created_at, r->sess.user.tz, at, sizeof(at));
		view_set(row, "R_ADDED_AT", at);
		if (cidr_contains(&v[i], &r->client))
			view_section_show(row, "R_HOLDS_YOU");
	}
	return resp_page(r, status, "ip_ranges", d);
}

int
h_ip_list(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "ip_ranges");

	return d == NULL ? -1 : list_page(r, d, 200);
}

/* Reads cidr and label; canonical text into out. */
static bool
read_range(struct req *r, struct form_check *f, struct cidr *c,
    char *out, size_t outsz, const char **label)
{
	const char	*text = form_text(f, "cidr", 1, CIDR_TEXT_MAX);
	struct err	 e;

	*label = form_text(f, "label", 0, 100);
	view_set(f->d, "FORM_CIDR", text);
	view_set(f->d, "FORM_LABEL", *label);
	if (!f->ok)
		return false;
	err_clear(&e);
	if (cidr_parse(str_from(text), c, &e) == -1) {
		form_refuse(f, "cidr", "ip.invalid", e.msg);
		return false;
	}
	cidr_format(c, out, outsz);
	return true;
}

int
h_ip_add(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "ip_ranges");
	struct form_check	 f;
	struct cidr		 c;
	char			 cidr[CIDR_TEXT_MAX];
	const char		*label;
	struct err		 e;

	if (d == NULL)
		return -1;
	err_clear(&e);
	form_begin(&f, r, d);
	/* Adding a range never shuts anybody out: no confirmation here. */
	if (!read_range(r, &f, &c, cidr, sizeof(cidr), &label))
		return list_page(r, d, 422);
	if (db_iprange_insert(r->db, cidr, label, r->sess.user.login, NULL,
	    &e) == -1) {
		if (e.kind != ERR_CONFLICT)
			return -1;
		form_refuse(&f, "cidr", "ip.duplicate", NULL);
		return list_page(r, d, 409);
	}
	if (audit(r, "flash.ip_added", cidr, "label \"%s\"", label) == -1 ||
	    refresh_now(r) == -1)
		return -1;
	resp_flash(r, "ok", "flash.ip_added");
	return resp_redirect(r, "/admin/ip");
}

static int
edit_page(struct req *r, struct view_dict *d, const struct iprange_row *row,
    int status)
{
	char	 at[64];

	view_set(d, "CURRENT_ADDR", r->client_text);
	view_set(d, "CIDR", row->cidr);
	view_set_int(d, "ID", (int64_t)row->id);
	view_set(d, "ADDED_BY", row->created_by);
	timefmt(row->created_at, r->sess.user.tz, at, sizeof(at));
	view_set(d, "ADDED_AT", at);
	return resp_page(r, status, "ip_form", d);
}

/* The range of the URL: 1, or 0 with a 404 page set, or -1. */
static int
the_range(struct req *r, struct iprange_row *row)
{
	struct err	 e;
	int		 rc;

	err_clear(&e);
	if ((rc = db_iprange_get(r->db, r->a, r->arg_id, row, &e)) == 0)
		resp_error(r, 404, "error.not_found", NULL);
	return rc;
}

int
h_ip_edit_get(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "ip_form");
	struct iprange_row	 row;
	int			 rc = -1;

	if (d == NULL || (rc = the_range(r, &row)) != 1)
		return rc == 0 ? 0 : -1;
	view_set(d, "FORM_CIDR", row.cidr);
	view_set(d, "FORM_LABEL", row.label);
	return edit_page(r, d, &row, 200);
}

/* Would the list, with entry id replaced by repl (NULL: removed), still
 * admit the caller? */
static int
still_admits(struct req *r, uint64_t id, const struct cidr *repl, bool *yes)
{
	struct iprange_row	*rows;
	struct cidr		*v;
	struct err		 e;
	size_t			 n, i, k = 0;

	err_clear(&e);
	if (load(r, &rows, &n, &v, &e) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (rows[i].id == id) {
			if (repl == NULL)
				continue;
			v[k++] = *repl;
		} else
			v[k++] = v[i];
	}
	*yes = iprange_list_allows(v, k, &r->client);
	return 0;
}

int
h_ip_edit_post(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "ip_form");
	struct form_check	 f;
	struct iprange_row	 row;
	struct cidr		 c;
	char			 cidr[CIDR_TEXT_MAX];
	const char		*label;
	struct err		 e;
	bool			 ok, confirm;
	int			 rc = -1;

	err_clear(&e);
	if (d == NULL || (rc = the_range(r, &row)) != 1)
		return rc == 0 ? 0 : -1;
	form_begin(&f, r, d);
	confirm = form_checkbox(&f, "confirm");
	if (!read_range(r, &f, &c, cidr, sizeof(cidr), &label))
		return edit_page(r, d, &row, 422);
	if (still_admits(r, row.id, &c, &ok) == -1)
		return -1;
	if (!ok && !confirm) {
		view_section_show(d, "LOCKOUT");
		return edit_page(r, d, &row, 409);
	}
	if (db_iprange_update(r->db, row.id, cidr, label, &e) == -1) {
		if (e.kind != ERR_CONFLICT)
			return -1;
		form_refuse(&f, "cidr", "ip.duplicate", NULL);
		return edit_page(r, d, &row, 409);
	}
	if (audit(r, "ip_changed", cidr, "was %s \"%s\", now %s \"%s\"%s",
	    row.cidr, row.label, cidr, label, ok ? "" :
	    " (confirmed: shuts out the editor's own address)") == -1 ||
	    refresh_now(r) == -1)
		return -1;
	resp_flash(r, "ok", "flash.ip_saved");
	return resp_redirect(r, "/admin/ip");
}

int
h_ip_delete(struct req *r)
{
	struct view_dict	*d = resp_dict(r, "ip_form");
	struct iprange_row	 row;
	struct err		 e;
	bool			 ok;
	int			 rc = -1;

	err_clear(&e);
	if (d == NULL || (rc = the_range(r, &row)) != 1)
		return rc == 0 ? 0 : -1;
	if (still_admits(r, row.id, NULL, &ok) == -1)
		return -1;
	if (!ok && !form_checkbox(&(struct form_check){ r, d, true },
	    "confirm")) {
		view_set(d, "FORM_CIDR", row.cidr);
		view_set(d, "FORM_LABEL", row.label);
		view_section_show(d, "LOCKOUT_DELETE");
		return edit_page(r, d, &row, 409);
	}
	if (db_iprange_delete(r->db, row.id, &e) == -1 ||
	    audit(r, "flash.ip_deleted", row.cidr, "label \"%s\"%s", row.label,
	    ok ? "" : " (confirmed: shuts out the remover's own address)") ==
	    -1 || refresh_now(r) == -1)
		return -1;
	resp_flash(r, "ok", "flash.ip_deleted");
	return resp_redirect(r, "/admin/ip");
}
