/*
 * xml.h - text into XML (mdriver's SVG picture, heapviz's page).
 */
#ifndef XML_H
#define XML_H

#include <stdio.h>

/* xml_text - s to out with XML's five special characters escaped. */
static inline void xml_text(FILE *out, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default: fputc(*s, out);
        }
}

#endif
