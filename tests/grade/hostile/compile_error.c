/* compile_error - does not compile. Verdict: the build fails, with the
 * compiler's message. */
#define ON_INIT() (undeclared_variable = 1)
