/* named_section - keeps a megabyte of its own in a section of its own
 * name, where a budget counted by section names would not look. Verdict:
 * the static checks refuse it (a section it has no use for). */
__attribute__((section("myheap"))) static char meta[1 << 20];
static void *touch(void *p)
{
    meta[0]++;
    return p;
}
#define ON_MALLOC(n, p) touch(p)
