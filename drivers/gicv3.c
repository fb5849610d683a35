#include <arch/mmio.h>
#include <arch/sysreg.h>
#include <drivers/gicv3.h>

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR(n) (0x0080 + 4 * (n))
#define GICD_IGRPMODR(n) (0x0d00 + 4 * (n))
#define GICD_CTLR_RWP (1U << 31)
#define GICD_CTLR_EN_G0 (1U << 0)
#define GICD_CTLR_EN_G1NS (1U << 1)
#define GICD_CTLR_EN_G1S (1U << 2)
#define GICD_CTLR_ARE_S (1U << 4)
#define GICD_CTLR_ARE_NS (1U << 5)

#define GICR_FRAME_SIZE 0x20000
#define GICR_WAKER 0x0014
#define GICR_TYPER 0x0008
#define GICR_TYPER_LAST (1U << 4)
#define GICR_WAKER_PSLEEP (1U << 1)
#define GICR_WAKER_CASLEEP (1U << 2)
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 (GICR_SGI_BASE + 0x80)
#define GICR_IGRPMODR0 (GICR_SGI_BASE + 0xd00)

#define ICC_SRE_EL3_VALUE 0xfUL /* Enable | DIB | DFB | SRE */
#define ICC_SRE_EL3 S3_6_C12_C12_5

void gicv3_dist_init_el3(uintptr_t gicd)
{
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS);
	while (mmio_read32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
	unsigned int lines = (mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1; /* in 32s */
	for (unsigned int n = 1; n < lines; n++) {
		mmio_write32(gicd + GICD_IGROUPR(n), 0xffffffffU);
		mmio_write32(gicd + GICD_IGRPMODR(n), 0);
	}
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS | GICD_CTLR_EN_G0 |
					       GICD_CTLR_EN_G1NS | GICD_CTLR_EN_G1S);
	while (mmio_read32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
}

#define GICR_ISENABLER0 (GICR_SGI_BASE + 0x100)
#define GICR_IPRIORITYR(n) (GICR_SGI_BASE + 0x400 + (n))
#define ICC_IGRPEN0_EL1 S3_0_C12_C12_6
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define GIC_PRIO_HIGHEST 0x00U
#define GIC_PMR_ALLOW_ALL 0xffU

/* One redistributor frame: awake, every SGI/PPI Non-secure Group 1 but el3_sgis (Group 0, highest, enabled).
 */
static void rdist_frame_init(uintptr_t f, uint32_t el3_sgis)
{
	mmio_write32(f + GICR_WAKER, mmio_read32(f + GICR_WAKER) & ~GICR_WAKER_PSLEEP);
	while (mmio_read32(f + GICR_WAKER) & GICR_WAKER_CASLEEP)
		;
	mmio_write32(f + GICR_IGROUPR0, ~el3_sgis);
	mmio_write32(f + GICR_IGRPMODR0, 0);
	for (uint32_t m = el3_sgis; m; m &= m - 1)
		*(volatile uint8_t *)(f + GICR_IPRIORITYR(__builtin_ctz(m))) = GIC_PRIO_HIGHEST;
	mmio_write32(f + GICR_ISENABLER0, el3_sgis);
}

int gicv3_rdist_init_el3(uintptr_t gicr, uint64_t mpidr, uint32_t el3_sgis)
{
	uint64_t aff = ((mpidr >> 8) & 0xff000000UL) | (mpidr & 0xffffffUL);

	for (uintptr_t f = gicr;; f += GICR_FRAME_SIZE) {
		uint64_t typer = mmio_read64(f + GICR_TYPER);
		if ((typer >> 32) == aff) {
			rdist_frame_init(f, el3_sgis);
			return 0;
		}
		if (typer & GICR_TYPER_LAST)
			return -1;
	}
}

void gicv3_rdist_init_all_el3(uintptr_t gicr, unsigned int count, uint32_t el3_sgis)
{
	for (unsigned int i = 0; i < count; i++)
		rdist_frame_init(gicr + i * GICR_FRAME_SIZE, el3_sgis);
}

void gicv3_cpuif_init_el3(void)
{
	write_sysreg(ICC_SRE_EL3, ICC_SRE_EL3_VALUE);
	isb();
	/* Group 0 for EL3; a Non-secure PMR write can never mask priority 0 (it sets bit 7). */
	write_sysreg(ICC_PMR_EL1, GIC_PMR_ALLOW_ALL);
	write_sysreg(ICC_IGRPEN0_EL1, 1);
	isb();
}

unsigned int gicv3_rdist_count(uintptr_t gicr, unsigned int max)
{
	unsigned int n = 0;

	for (uintptr_t f = gicr; n < max; f += GICR_FRAME_SIZE) {
		n++;
		if (mmio_read64(f + GICR_TYPER) & GICR_TYPER_LAST)
			break;
	}
	return n;
}
