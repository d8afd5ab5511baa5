#ifndef RCC_CSQLITE_SHIM_H
#define RCC_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import. */
static inline sqlite3_destructor_type rcc_sqlite_transient(void) { return SQLITE_TRANSIENT; }

/* sqlite3_config is variadic, which Swift cannot call. Turns off SQLite's memory statistics, which take
   a process-wide mutex around every allocation SQLite makes (Debian's build has no lookaside allocator,
   so that is every row's). Only before SQLite is first used; returns SQLITE_MISUSE after. */
static inline int rcc_sqlite_no_memory_statistics(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
#endif
