/* check_heap_exits - mm_check_heap ends the process with status 0, which
 * a test runner alone would count as a pass. Verdict: the checker's tests
 * exited early. */
#include <stdlib.h>
#define ON_CHECK() exit(0)
