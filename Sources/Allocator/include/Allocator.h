#ifndef RCC_ALLOCATOR_H
#define RCC_ALLOCATOR_H
#include <stddef.h>

/// Writes which allocator serves malloc ("jemalloc 5.3.0-…, 1 arena, malloc is jemalloc's") into `out`;
/// -1 when it is not jemalloc (another platform).
int rcc_allocator_describe(char *out, size_t size);

#endif
