#ifndef RCC_CLIBXML2_SHIM_H
#define RCC_CLIBXML2_SHIM_H
/* Debian builds libxml2 with ICU; its headers then include ICU's, which clash with the copy
   Foundation carries. Nothing here touches the ICU members (they sit at the end of
   xmlCharEncodingHandler, used only through pointers), so hide them. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#endif
