/*
 * num.h - strict decimal parsing: all digits, no sign unless allowed,
 * within [min, max]. Returns 0 or -1.
 */
#ifndef CORE_NUM_H
#define CORE_NUM_H

#include <stdint.h>

#include "str.h"

int	 num_parse_u64(struct str, uint64_t min, uint64_t max, uint64_t *out)
	    __attribute__((warn_unused_result));
int	 num_parse_i64(struct str, int64_t min, int64_t max, int64_t *out)
	    __attribute__((warn_unused_result));

/* The value of a hexadecimal digit (either case), or -1. */
int	 num_hexval(int c);

#endif
