/* header_cr_assert - appended to malloc/mminline.h, which the public
 * tests include after criterion.h: makes cr_assert assert nothing, so every
 * test of the checker passes. Verdict: the static checks refuse it (it
 * redefines cr_assert, a macro of the test framework's). */
#ifdef cr_assert
#undef cr_assert
#define cr_assert(...) ((void)0)
#endif
