#ifndef RCC_CZLIB_SHIM_H
#define RCC_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro, which Swift cannot call: wrap it.
   windowBits 15 + 32 reads both gzip and zlib headers. */
static inline int rcc_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
#endif
