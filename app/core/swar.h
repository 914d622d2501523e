/*
 * swar.h - byte tests eight bytes at a time in a 64-bit word ("SIMD
 * within a register"), for the scans that run over every message body:
 * exact per byte, no carries between bytes, no alignment assumed.
 */
#ifndef TEGAMI_CORE_SWAR_H
#define TEGAMI_CORE_SWAR_H

#include <stdint.h>
#include <string.h>

#define SWAR_ONES	0x0101010101010101ULL
#define SWAR_HIGH	0x8080808080808080ULL

/* Eight bytes from p, any alignment. */
static inline uint64_t
swar_load(const void *p)
{
	uint64_t	 w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/* 0x80 in each byte of w that is zero, 0 elsewhere. */
static inline uint64_t
swar_zero_bytes(uint64_t w)
{
	const uint64_t	 low7 = ~SWAR_HIGH;

	return ~(((w & low7) + low7) | w | low7);
}

/* 0x80 in each byte of w equal to c, 0 elsewhere. */
static inline uint64_t
swar_eq(uint64_t w, unsigned char c)
{
	return swar_zero_bytes(w ^ (c * SWAR_ONES));
}

/* Flags (0x80 or 0) of the byte at the lowest address, at the highest
 * address, and of every byte whose predecessor in memory is flagged too;
 * swar_next moves each flag onto the byte after it in memory, SWAR_FIRST
 * is the flag of the lowest byte, swar_index(f) the offset of the first
 * flagged byte (f != 0). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define swar_first(f)	((f) & 0x80)
#define swar_last(f)	(((f) >> 56) & 0x80)
#define swar_pairs(f)	((f) & ((f) << 8))
#define swar_next(f)	((f) << 8)	/* each flag on the following byte */
#define SWAR_FIRST	0x80ULL		/* the flag of the lowest byte */
#define swar_index(f)	((unsigned)__builtin_ctzll(f) >> 3)
#else
#define swar_first(f)	(((f) >> 56) & 0x80)
#define swar_last(f)	((f) & 0x80)
#define swar_pairs(f)	((f) & ((f) >> 8))
#define swar_next(f)	((f) >> 8)
#define SWAR_FIRST	(0x80ULL << 56)
#define swar_index(f)	((unsigned)__builtin_clzll(f) >> 3)
#endif

/* How many bytes are flagged (bit 7 of each byte, as the above give). */
static inline unsigned
swar_count(uint64_t flags)
{
	return (unsigned)((((flags >> 7) & SWAR_ONES) * SWAR_ONES) >> 56);
}

#endif
