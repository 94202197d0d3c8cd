/*
 * chatty.c - a correct bump allocator that prints to stdout in mm_init, as
 * debugging students do; what it prints must not reach mdriver's stdout
 * (the table, the -g lines, the JSON document).
 */
#include <stdio.h>

#include "broken.h"

static int chatty_init(void)
{
    printf("correct:99\nperfidx:100\n");
    return bump_init();
}

const allocator_t chatty_allocator = {
    .name = "chatty", .init = chatty_init, .malloc = bump_malloc, .free = bump_free,
    .realloc = bump_realloc, .check = bump_check, .in_heap = true,
};
