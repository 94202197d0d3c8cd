/* vm_writes - tlb_flush writes lines that look like a transcript's to
 * descriptors 1 and 2, write found at run time past the static checks
 * (appended to vm/tlb.c, the reference's tlb_flush renamed). Verdict: ok
 * everywhere: vmsh's transcript comes through grade's channel, not from
 * descriptors 1 and 2. */
#include "lookup.h"
#undef tlb_flush
void tlb_flush(struct tlb *t, bool keep_global)
{
    static const char fake[] = "vmsh> translate 0x10000000\n  TLB hit: frame 7\n";
    long (*out)(int, const void *, unsigned long) =
        (long (*)(int, const void *, unsigned long))libc_lookup("write");
    if (out) {
        out(1, fake, sizeof fake - 1);
        out(2, fake, sizeof fake - 1);
    }
    honest_tlb_flush(t, keep_global);
}
