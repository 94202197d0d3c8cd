/* text_bytes - machine code as data, placed among the instructions: mov
 * $39, %eax; syscall; ret (getpid), called through a pointer. No asm
 * keyword appears. Verdict: the static checks refuse it (a system call
 * instruction in the object). */
__attribute__((section(".text"))) static const unsigned char code[] = {
    0xb8, 0x27, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xc3,
};
#define ON_INIT() ((void)((long (*)(void))(const void *)code)())
