/*
 * cmd_paging.c - the paging machinery on demand: one run of the pageout
 * daemon, and a look at the clock.
 */
#include <inttypes.h>
#include <stdio.h>

#include "commands.h"
#include "print.h"

int cmd_pageout(struct vmsh *sh, const struct call *c)
{
    (void)c;
    unsigned freed = vm_pageout(sh->m);
    char hands[96];
    printf("%u frame%s freed, %" PRIu32 " free; %s\n", freed,
           freed == 1 ? "" : "s", sh->m->free.count,
           hands_text(sh->m, hands, sizeof hands));
    return 0;
}

int cmd_clock(struct vmsh *sh, const struct call *c)
{
    (void)c;
    print_clock(sh->m);
    return 0;
}
