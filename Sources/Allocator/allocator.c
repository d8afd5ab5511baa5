// rcc's memory allocator: jemalloc (linked in; see Package.swift), set up by the `malloc_conf` it reads at
// start. glibc's malloc held to one arena (for memory) made rcc's three busy threads (reading, validating,
// loading) take turns on that arena's lock: three quarters of their waits were on it, and each thread
// ran less than half the time. jemalloc's per-thread caches need no lock for most calls.
//
// - narenas:1: one arena behind the caches, so what one thread frees another reuses (as glibc's one
//   arena did; jemalloc's default of four a core put a CIN XML ingest at 227 MB resident).
// - dirty_decay_ms:1000, muzzy_decay_ms:0: freed pages go back to the system about a second after they
//   are freed (checked as rcc goes on allocating; there is no background thread).
#include "Allocator.h"

#if defined(__linux__)
#include <jemalloc/jemalloc.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

const char *malloc_conf = "narenas:1,dirty_decay_ms:1000,muzzy_decay_ms:0";

int rcc_allocator_describe(char *out, size_t size) {
    const char *version = NULL;
    size_t length = sizeof(version);
    if (mallctl("version", &version, &length, NULL, 0) != 0) return -1;
    unsigned arenas = 0;
    length = sizeof(arenas);
    if (mallctl("opt.narenas", &arenas, &length, NULL, 0) != 0) return -1;
    // Bytes this thread has had from jemalloc: they grow by a malloc's size only if malloc is jemalloc's.
    uint64_t before = 0, after = 0;
    length = sizeof(before);
    if (mallctl("thread.allocated", &before, &length, NULL, 0) != 0) return -1;
    void *volatile block = malloc(1 << 20);
    length = sizeof(after);
    int status = mallctl("thread.allocated", &after, &length, NULL, 0);
    free(block);
    if (status != 0) return -1;
    snprintf(out, size, "jemalloc %s, %u arena%s, malloc %s", version, arenas, arenas == 1 ? "" : "s",
             after - before >= (1 << 20) ? "is jemalloc's" : "is not jemalloc's");
    return 0;
}
#else
int rcc_allocator_describe(char *out, size_t size) {
    (void)out; (void)size;
    return -1;
}
#endif
