/*
 * lookup.h - for the cases that must get past the static checks to test
 * the sandbox itself: a function of the C library found by name at run
 * time. From the address of a function every lab may call (memcpy), the
 * search walks back to the C library's ELF header and reads its symbol
 * table in memory. No name the checks look for appears in the object, so
 * only the sandbox stands between such code and the call. The test
 * prepends this file to the cases that include "lookup.h".
 */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <string.h>

static void *libc_lookup(const char *name)
{
    const unsigned char *p =
        (const unsigned char *)((uintptr_t)(void *)&memcpy & ~(uintptr_t)4095);
    while (memcmp(p, ELFMAG, SELFMAG) != 0)
        p -= 4096;
    uintptr_t base = (uintptr_t)p;
    const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)p;
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(p + eh->e_phoff);
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type != PT_DYNAMIC)
            continue;
        const ElfW(Sym) *sym = NULL;
        const char *str = NULL;
        for (const ElfW(Dyn) *d = (const ElfW(Dyn) *)(base + ph[i].p_vaddr); d->d_tag != DT_NULL;
             d++) {
            /* The loader has made these absolute; in case not, add the base. */
            uintptr_t a = d->d_un.d_ptr < base ? base + d->d_un.d_ptr : d->d_un.d_ptr;
            if (d->d_tag == DT_SYMTAB)
                sym = (const ElfW(Sym) *)a;
            else if (d->d_tag == DT_STRTAB)
                str = (const char *)a;
        }
        /* The symbol table ends where the string table starts. */
        for (const ElfW(Sym) *s = sym; sym && str && (const char *)s < str; s++)
            if (s->st_name && s->st_value && !strcmp(str + s->st_name, name))
                return (void *)(base + s->st_value);
    }
    return NULL;
}
