/*
 * mmmacros.h - the accessors of mminline.h as macros, for the lecture's
 * experiment: do accessor functions cost anything? (make bench-accessors)
 *
 * Included at the end of mminline.h when MM_MACROS is defined, after the
 * functions: each macro has its function's name, so every call in mm.c
 * becomes the macro's text whatever the optimization level, while at -O0
 * the functions stay real calls. The list operations (insert_free_block,
 * pull_free_block, flist_index) stay functions in both builds: they are
 * the allocator's operations, not accessors of a block's words.
 *
 * The macros assert what the functions assert, so that the two builds do
 * the same work; but they evaluate their arguments more than once, and a
 * debugger cannot step into them: the price the lecture names for them.
 */
#ifndef MMMACROS_H
#define MMMACROS_H

#define block_allocated(b) ((b)->size & 1)
#define block_size(b) ((b)->size & -2)
#define block_end_tag(b) (&(b)->payload[block_size(b) / WORDSIZE - 2])
#define block_setsize(b, sz)                                                 \
    do {                                                                     \
        assert(!((sz) & 7));                                                 \
        size_t mm_sz_ = (sz) | block_allocated(b);                           \
        (b)->size = mm_sz_;                                                  \
        *block_end_tag(b) = mm_sz_;                                          \
    } while (0)
#define block_set_allocated(b, a)                                            \
    do {                                                                     \
        assert((a) == 0 || (a) == 1);                                        \
        if (a) {                                                             \
            (b)->size |= 1;                                                  \
            *block_end_tag(b) |= 1;                                          \
        } else {                                                             \
            (b)->size &= -2;                                                 \
            *block_end_tag(b) &= -2;                                         \
        }                                                                    \
    } while (0)
#define block_init(b, sz, a)                                                 \
    do {                                                                     \
        assert(!((sz) & 7));                                                 \
        assert((a) == 0 || (a) == 1);                                        \
        (b)->size = (sz) | (a);                                              \
        *block_end_tag(b) = (sz) | (a);                                      \
    } while (0)
#define block_prev_allocated(b) ((&(b)->size)[-1] & 1)
#define block_next(b) ((block_t *)((char *)(b) + block_size(b)))
#define block_next_allocated(b) block_allocated(block_next(b))
#define block_prev(b) ((block_t *)((char *)(b) - ((&(b)->size)[-1] & -2)))
#define block_payload(b) ((void *)(b)->payload)
#define payload_to_block(p) ((block_t *)((char *)(p) - WORDSIZE))
#define block_next_free(b) ((block_t *)(b)->payload[0])
#define block_set_next_free(b, n) ((b)->payload[0] = (size_t)(n))
#define block_prev_free(b) ((block_t *)(b)->payload[1])
#define block_set_prev_free(b, p) ((b)->payload[1] = (size_t)(p))

#endif
