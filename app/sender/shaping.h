/*
 * shaping.h - traffic shaping rules matched against a destination's SMTP
 * replies (e.g. Yahoo! JAPAN's "421 4.7.0 [TSS04]", a carrier's "too many
 * connections"): suspend or slow the destination, or only the campaign
 * that provoked the reply, for a set time.
 *
 * Rules come from the database (db_profile.c) or from defaults; matching
 * is pure and bounded: the reply text is peer data, searched without
 * allocation, case-insensitively.
 */
#ifndef SENDER_SHAPING_H
#define SENDER_SHAPING_H

#include <stdbool.h>
#include <stddef.h>

struct reply;

#define SHAPING_RULES_MAX	1024
#define SHAPING_PATTERN_MAX	128
#define SHAPING_DOMAIN_MAX	256

enum shaping_action {
	SHAPING_SUSPEND,	/* no connection, no message until expiry */
	SHAPING_SLOW,		/* one connection, rate divided */
	SHAPING__MAX
};

enum shaping_scope {
	SHAPING_DESTINATION,	/* every message for the destination */
	SHAPING_CAMPAIGN,	/* only the campaign that got the reply */
	SHAPING_SCOPE__MAX
};

struct shaping_rule {
	unsigned long	 id;
	/* "" any destination; "yahoo.co.jp" that domain and its subdomains */
	char		 domain[SHAPING_DOMAIN_MAX];
	int		 code;		/* 0 any; 421; or 4 / 5 for a class */
	char		 enhanced[16];	/* "" any; prefix, "4.7." or "4.7.0" */
	char		 text[SHAPING_PATTERN_MAX]; /* "" any; substring */
	enum shaping_action action;
	enum shaping_scope scope;
	int		 seconds;	/* how long */
};

extern const char *const shaping_action_names[SHAPING__MAX];
extern const char *const shaping_scope_names[SHAPING_SCOPE__MAX];

/* True when domain is d or a subdomain of d ("" matches everything). */
bool	 shaping_domain_matches(const char *d, const char *domain);
/* True when rule r matches a reply r from domain. */
bool	 shaping_rule_matches(const struct shaping_rule *rule,
	    const char *domain, const struct reply *r);
/* The first rule of rules[0..n) matching, NULL when none. Rules are kept
 * in the order the administrator gave (most specific first). */
const struct shaping_rule *shaping_match(const struct shaping_rule *rules,
	    size_t n, const char *domain, const struct reply *r);
/* Parses "suspend"/"slow" and "destination"/"campaign"; -1 otherwise. */
int	 shaping_action_parse(const char *s);
int	 shaping_scope_parse(const char *s);

#endif
