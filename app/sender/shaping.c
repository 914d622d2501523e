/*
 * shaping.c - matching SMTP replies against shaping rules (see shaping.h).
 */
#include <string.h>
#include <strings.h>

#include "reply.h"
#include "shaping.h"

const char *const shaping_action_names[SHAPING__MAX] = { "suspend", "slow" };
const char *const shaping_scope_names[SHAPING_SCOPE__MAX] = {
	"destination", "campaign"
};

bool
shaping_domain_matches(const char *d, const char *domain)
{
	size_t	 nd = strlen(d), n = strlen(domain);

	if (nd == 0)
		return true;
	if (n < nd)
		return false;
	if (strcasecmp(domain + n - nd, d) != 0)
		return false;
	return n == nd || domain[n - nd - 1] == '.';
}

/* Case-insensitive substring search bounded by the reply's text length. */
static bool
text_has(const char *hay, size_t n, const char *needle)
{
	size_t	 k = strlen(needle), i;

	if (k == 0)
		return true;
	if (k > n)
		return false;
	for (i = 0; i + k <= n; i++)
		if (strncasecmp(hay + i, needle, k) == 0)
			return true;
	return false;
}

bool
shaping_rule_matches(const struct shaping_rule *rule, const char *domain,
    const struct reply *r)
{
	if (!shaping_domain_matches(rule->domain, domain))
		return false;
	if (rule->code >= 100 && rule->code != r->code)
		return false;
	if (rule->code > 0 && rule->code < 10 && rule->code != r->code / 100)
		return false;
	if (rule->enhanced[0] != '\0' && strncmp(r->enhanced, rule->enhanced,
	    strlen(rule->enhanced)) != 0)
		return false;
	return text_has(r->text, r->textlen, rule->text);
}

const struct shaping_rule *
shaping_match(const struct shaping_rule *rules, size_t n, const char *domain,
    const struct reply *r)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (shaping_rule_matches(&rules[i], domain, r))
			return &rules[i];
	return NULL;
}

int
shaping_action_parse(const char *s)
{
	int	 i;

	for (i = 0; i < SHAPING__MAX; i++)
		if (strcmp(s, shaping_action_names[i]) == 0)
			return i;
	return -1;
}

int
shaping_scope_parse(const char *s)
{
	int	 i;

	for (i = 0; i < SHAPING_SCOPE__MAX; i++)
		if (strcmp(s, shaping_scope_names[i]) == 0)
			return i;
	return -1;
}
