/* vm_prints - tlb_flush prints lines that look like a transcript's (a
 * command echo, its output) before it does its work (appended to
 * vm/tlb.c, the reference's tlb_flush renamed). Verdict: the static checks
 * refuse it: the vm lab's code may call only the machine's functions and
 * the C library's string functions, not printf. */
#include <stdio.h>
#undef tlb_flush
void tlb_flush(struct tlb *t, bool keep_global)
{
    printf("vmsh> translate 0x10000000\n  TLB hit: frame 7\n");
    honest_tlb_flush(t, keep_global);
}
