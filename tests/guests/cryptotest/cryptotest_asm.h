/* Layout shared by the cryptotest linker script, entry code and C. */
#ifndef CRYPTOTEST_ASM_H
#define CRYPTOTEST_ASM_H

#ifndef CONFIG_NS_PAYLOAD_EXTERNAL
#error "cryptotest runs only as the external NS payload (qemu_virt_rme_external_defconfig)"
#endif

/* Mbed TLS's ECDSA keeps its numbers in the arena, but its call chains are deep. */
#define CRYPTOTEST_STACK_SIZE 0x10000
/* The image's region from CONFIG_NS_PAYLOAD_ADDR (as nstest). */
#define CRYPTOTEST_IMAGE_SIZE 0x01000000
#define CRYPTOTEST_PAGE 4096
#endif
