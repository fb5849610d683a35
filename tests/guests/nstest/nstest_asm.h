/* Layout shared by the nstest linker script, entry code and C. */
#ifndef NSTEST_ASM_H
#define NSTEST_ASM_H

#ifndef CONFIG_NS_PAYLOAD_EXTERNAL
#error "nstest runs only as the external NS payload (qemu_virt_rme_external_defconfig)"
#endif

#define NSTEST_STACK_SIZE 0x4000
/* The payload owns this much from CONFIG_NS_PAYLOAD_ADDR: image, then its granule pools. */
#define NSTEST_IMAGE_SIZE 0x01000000
#define NSTEST_POOL_SIZE 0x01000000

/* Exception vector numbers: VBAR offset / 0x80. */
#define VEC_CUR_SP0_SYNC 0
#define VEC_CUR_SPX_SYNC 4
#define VEC_COUNT 16
#define EXC_FRAME_SIZE 0xa0
#endif
