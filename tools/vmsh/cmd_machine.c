/*
 * cmd_machine.c - the machine as a whole: its configuration, rebooting it,
 * and the seed of vmsh's random choices.
 */
#include <inttypes.h>
#include <stdio.h>

#include "commands.h"

int cmd_config(struct vmsh *sh, const struct call *c)
{
    char line[320], err[200], note[160];
    if (c->argc == 0) {
        puts(session_params(sh, line, sizeof line));
        return 0;
    }
    struct vm_config cfg = sh->cfg;
    uint64_t seed = sh->seed;
    if (config_apply(&cfg, &seed, (const char *const *)c->argv, c->argc, err, sizeof err,
                     note, sizeof note))
        return call_usage(c, "config: %s", err);
    if (vm_config_check(&cfg, err, sizeof err))
        return sh_error(sh, "config: %s; nothing changed", err);
    uint64_t old = sh->seed;
    sh->seed = seed;
    if (session_reboot(sh, &cfg)) {
        sh->seed = old;
        return -1;
    }
    if (note[0])
        printf("config: %s\n", note);
    puts(session_params(sh, line, sizeof line));
    return 0;
}

int cmd_reset(struct vmsh *sh, const struct call *c)
{
    (void)c;
    char line[320];
    struct vm_config cfg = sh->cfg;
    if (session_reboot(sh, &cfg))
        return -1;
    puts(session_params(sh, line, sizeof line));
    return 0;
}

int cmd_seed(struct vmsh *sh, const struct call *c)
{
    if (c->argc == 1) {
        uint64_t seed;
        if (!arg_number(c, c->argv[0], "N", &seed))
            return -1;
        sh->seed = seed;
        sh->rng = rng_seed(seed);
    }
    printf("seed %" PRIu64 "\n", sh->seed);
    return 0;
}
