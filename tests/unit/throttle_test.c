/*
 * throttle_test.c - the sign-in throttle's delay schedule and the form
 * helpers' character counting.
 */
#include "../../app/web/form.h"
#include "../../app/web/throttle.h"
#include "t.h"

static void
test_delay(void)
{
	static const struct {
		int64_t	 failures, want;
	} acct[] = {
		{ 0, 0 }, { 1, 0 }, { 2, 0 }, { 3, 2 }, { 4, 4 }, { 5, 8 },
		{ 7, 32 }, { 8, 60 }, { 9, 60 }, { 10, THROTTLE_LOCK_SECONDS },
		{ 500, THROTTLE_LOCK_SECONDS },
	};
	size_t	 i;

	for (i = 0; i < sizeof(acct) / sizeof(acct[0]); i++)
		T_OK(throttle_delay(acct[i].failures, THROTTLE_ACCOUNT_FREE,
		    THROTTLE_ACCOUNT_LOCK) == acct[i].want,
		    "account after %lld failures waits %lld s",
		    (long long)acct[i].failures, (long long)acct[i].want);
	T_OK(throttle_delay(9, THROTTLE_ADDRESS_FREE, THROTTLE_ADDRESS_LOCK) ==
	    0, "an address gets more free attempts");
	T_OK(throttle_delay(49, THROTTLE_ADDRESS_FREE,
	    THROTTLE_ADDRESS_LOCK) == THROTTLE_DELAY_MAX,
	    "address delay is capped");
}

static void
test_chars(void)
{
	T_OK(form_chars("") == 0, "empty");
	T_OK(form_chars("abc") == 3, "ascii");
	T_OK(form_chars("手紙です") == 4, "japanese counts characters");
	T_OK(form_chars("é") == 1, "two-byte character");
}

int
main(void)
{
	T_SUITE("throttle");
	T_RUN(test_delay);
	T_RUN(test_chars);
	return t_done("throttle");
}
