/* vm_global_state - the vm lab keeps every state in struct machine; this
 * keeps counters of its own in a global array (appended to vm/tlb.c).
 * Verdict: the static checks refuse it (writable global data over the vm
 * lab's budget). */
unsigned long tlb_counters[64];
void tlb_count(unsigned i)
{
    tlb_counters[i % 64]++;
}
