/*
 * cmd_user.c - `tegami user`: accounts from the shell, for the first
 * administrator and for recovery.
 *
 *	tegami user add LOGIN [--role admin|editor] [--name NAME]
 *	tegami user passwd LOGIN	(a new one-time password)
 *	tegami user disable LOGIN | enable LOGIN
 *	tegami user list
 *
 * One-time passwords are printed as "password: XXXX" and must be changed at
 * the first sign-in.
 */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/err.h"
#include "../db/db.h"
#include "../db/db_audit.h"
#include "../db/db_session.h"
#include "../db/db_user.h"
#include "../core/password.h"
#include "cli.h"

static int
usage(void)
{
	fprintf(stderr, "usage: tegami user add LOGIN [--role admin|editor] "
	    "[--name NAME]\n"
	    "       tegami user passwd LOGIN\n"
	    "       tegami user disable LOGIN | enable LOGIN\n"
	    "       tegami user list\n");
	return 2;
}

static bool
login_valid(const char *s)
{
	size_t	 n = strlen(s);

	if (n < 2 || n > USER_LOGIN_MAX)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-") == n;
}

static int
user_add(struct db *db, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	char		 pw[PASSWORD_GEN_LEN + 1], hash[PASSWORD_HASH_MAX];
	const char	*name = "", *login;
	enum role	 role = ROLE_EDITOR;
	struct err	 e;
	int		 ch;

	err_clear(&e);
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if ((role = role_parse(optarg)) == ROLE_NONE) {
				fprintf(stderr, "tegami user add: role must "
				    "be admin or editor, not \"%s\"\n", optarg);
				return 2;
			}
			break;
		case 'n':
			name = optarg;
			break;
		default:
			return usage();
		}
	}
	if (optind != argc - 1)
		return usage();
	login = argv[optind];
	if (!login_valid(login)) {
		fprintf(stderr, "tegami user add: \"%s\": a login is 2 to %d "
		    "letters, digits or . _ @ -\n", login, USER_LOGIN_MAX);
		return 1;
	}
	password_generate(pw);
	if (password_hash(pw, hash, &e) == -1 ||
	    db_user_insert(db, login, name, role, hash, true, NULL, &e) == -1) {
		fprintf(stderr, "tegami user add: %s: %s\n", login,
		    e.kind == ERR_CONFLICT ? "this login exists already" :
		    e.msg);
		return 1;
	}
	if (db_audit_add(db, "cli", "local", "user_created", login,
	    role_name(role), &e) == -1)
		fprintf(stderr, "tegami: audit: %s\n", e.msg);
	printf("login: %s\nrole: %s\npassword: %s\n", login, role_name(role),
	    pw);
	printf("(a one-time password: it must be changed at the first "
	    "sign-in)\n");
	sodium_memzero(pw, sizeof(pw));
	return 0;
}

static int
user_passwd(struct db *db, struct arena *a, const char *login)
{
	char		 pw[PASSWORD_GEN_LEN + 1], hash[PASSWORD_HASH_MAX];
	struct user	 u;
	struct err	 e;
	int		 rc;

	err_clear(&e);
	if ((rc = db_user_by_login(db, a, login, &u, &e)) != 1) {
		fprintf(stderr, "tegami user passwd: %s: %s\n", login,
		    rc == 0 ? "no such user" : e.msg);
		return 1;
	}
	password_generate(pw);
	if (password_hash(pw, hash, &e) == -1 ||
	    db_user_set_password(db, u.id, hash, true, &e) == -1 ||
	    db_session_delete_user(db, u.id, 0, &e) == -1) {
		fprintf(stderr, "tegami user passwd: %s\n", e.msg);
		return 1;
	}
	if (db_audit_add(db, "cli", "local", "password_reset", login,
	    "one-time password issued; sessions ended", &e) == -1)
		fprintf(stderr, "tegami: audit: %s\n", e.msg);
	printf("login: %s\npassword: %s\n", login, pw);
	printf("(a one-time password: it must be changed at the next "
	    "sign-in)\n");
	sodium_memzero(pw, sizeof(pw));
	return 0;
}

static int
user_active(struct db *db, struct arena *a, const char *login, bool active)
{
	struct user	 u;
	struct err	 e;
	int		 rc;

	err_clear(&e);
	if ((rc = db_user_by_login(db, a, login, &u, &e)) != 1) {
		fprintf(stderr, "tegami user: %s: %s\n", login,
		    rc == 0 ? "no such user" : e.msg);
		return 1;
	}
	if (db_user_set_active(db, u.id, active, &e) == -1 ||
	    (!active && db_session_delete_user(db, u.id, 0, &e) == -1)) {
		fprintf(stderr, "tegami user: %s\n", e.msg);
		return 1;
	}
	if (db_audit_add(db, "cli", "local", active ? "user_enabled" :
	    "user_disabled", login, "", &e) == -1)
		fprintf(stderr, "tegami: audit: %s\n", e.msg);
	printf("%s: %s\n", login, active ? "enabled" : "disabled; its "
	    "sessions ended");
	return 0;
}

static int
user_list(struct db *db, struct arena *a)
{
	struct user	*v;
	struct err	 e;
	size_t		 n, i;

	err_clear(&e);
	if (db_user_list(db, a, &v, &n, &e) == -1) {
		fprintf(stderr, "tegami user list: %s\n", e.msg);
		return 1;
	}
	for (i = 0; i < n; i++)
		printf("%-24s %-7s %-8s %s\n", v[i].login,
		    role_name(v[i].role), v[i].active ? "active" : "disabled",
		    v[i].display_name);
	return 0;
}

int
cmd_user(struct cli *c, int argc, char **argv)
{
	struct db	*db;
	struct arena	*a;
	int		 rc;

	if (argc < 2)
		return usage();
	if (sodium_init() < 0)
		return 1;
	if ((a = arena_new(0)) == NULL)
		return 1;
	if ((db = cli_db(c)) == NULL) {
		arena_free(a);
		return 1;
	}
	if (strcmp(argv[1], "add") == 0)
		rc = user_add(db, argc - 1, argv + 1);
	else if (strcmp(argv[1], "passwd") == 0 && argc == 3)
		rc = user_passwd(db, a, argv[2]);
	else if (strcmp(argv[1], "disable") == 0 && argc == 3)
		rc = user_active(db, a, argv[2], false);
	else if (strcmp(argv[1], "enable") == 0 && argc == 3)
		rc = user_active(db, a, argv[2], true);
	else if (strcmp(argv[1], "list") == 0 && argc == 2)
		rc = user_list(db, a);
	else
		rc = usage();
	db_close(db);
	arena_free(a);
	return rc;
}
