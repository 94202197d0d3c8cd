/*
 * lookup.h - for the cases that must get past the static checks to test
 * the sandbox itself: a function of the C library found by name at run
 * time, in libc's own symbol table in memory, from nothing but the
 * program headers dl_iterate_phdr gives. No forbidden name appears in the
 * object, so only the sandbox stands between such code and the call.
 * The test prepends this file to the cases that include "lookup.h".
 */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <string.h>

struct lookup {
    const char *name;
    void *found;
};

static int lookup_in(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    struct lookup *l = data;
    if (!strstr(info->dlpi_name, "libc.so"))
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type != PT_DYNAMIC)
            continue;
        const ElfW(Dyn) *d = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
        const ElfW(Sym) *sym = NULL;
        const char *str = NULL;
        for (; d->d_tag != DT_NULL; d++) {
            if (d->d_tag == DT_SYMTAB)
                sym = (const ElfW(Sym) *)d->d_un.d_ptr;
            else if (d->d_tag == DT_STRTAB)
                str = (const char *)d->d_un.d_ptr;
        }
        /* The symbol table ends where the string table starts. */
        for (const ElfW(Sym) *s = sym; sym && str && (const char *)s < str; s++)
            if (s->st_name && s->st_value && !strcmp(str + s->st_name, l->name)) {
                l->found = (void *)(info->dlpi_addr + s->st_value);
                return 1;
            }
    }
    return 0;
}

static void *libc_lookup(const char *name)
{
    struct lookup l = { name, NULL };
    dl_iterate_phdr(lookup_in, &l);
    return l.found;
}
