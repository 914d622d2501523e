/*
 * num.c - strict decimal parsing (see num.h).
 */
#include "num.h"

int
num_parse_u64(struct str s, uint64_t min, uint64_t max, uint64_t *out)
{
	uint64_t	 v = 0;
	size_t		 i;

	if (s.n == 0 || s.n > 20)
		return -1;
	for (i = 0; i < s.n; i++) {
		unsigned	 d = (unsigned char)s.p[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
num_parse_i64(struct str s, int64_t min, int64_t max, int64_t *out)
{
	uint64_t	 u;
	bool		 neg = s.n > 0 && s.p[0] == '-';

	if (neg) {
		s.p++;
		s.n--;
	}
	if (num_parse_u64(s, 0, neg ? (uint64_t)INT64_MAX + 1 :
	    (uint64_t)INT64_MAX, &u) == -1)
		return -1;
	if (neg) {
		int64_t	 v = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)u;

		if (v < min || v > max)
			return -1;
		*out = v;
	} else {
		if ((int64_t)u < min || (int64_t)u > max)
			return -1;
		*out = (int64_t)u;
	}
	return 0;
}

int
num_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
