/*
 * core/mmio.c: a guest's access to an emulated device. A normal VM's data
 * abort takes the direct path to the vGIC (partition_mmio(): its frames found
 * by address); the general path looks the device up in the partition's
 * table (partition_mmio_dev(), what the table is built with). Every GICD and
 * GICR register of every frame, and the words around them, must read the
 * same through both, with the same result code, on a vGIC with state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mmio.h"

#define DIST_IPA 0x08000000ULL
#define REDIST_IPA 0x080a0000ULL
#define UART_IPA 0x09000000ULL
#define UART_SIZE 0x1000ULL
#define NR_VCPUS 3U
#define NR_SPIS 96U
#define UART_VALUE 0x5a5aULL

/* What the hypervisor's hardware side would do; the tests have no list registers in use. */
uint32_t vgic_refresh_locked(struct partition *p, struct vcpu *v)
{
	(void)p;
	(void)v;
	fail_msg("no list register is in use: nothing to read back");
	return 0;
}

static struct rampart_partition entry;
static struct partition part;
static unsigned int kicks_sent;
/* Distributor writes passed on for a passthrough SPI's physical route (irq.c picks IROUTER). */
static unsigned int reroutes;
static uint64_t reroute_off;

void partition_spi_rerouted(struct partition *p, uint64_t off)
{
	assert_ptr_equal(p, &part);
	reroutes++;
	reroute_off = off;
}

void hyp_kick(unsigned int cpu)
{
	(void)cpu;
	kicks_sent++;
}

/* Another device in the table: the general path must still find it, the direct one must not take it. */
static int uart(struct partition *p, struct vcpu *v, uint64_t off, unsigned int size, int write,
		uint64_t *val)
{
	(void)p;
	(void)v;
	(void)size;
	if (!write)
		*val = UART_VALUE + off;
	return 0;
}

static void build(void)
{
	memset(&part, 0, sizeof(part));
	memset(&entry, 0, sizeof(entry));
	entry.nr_vcpus = NR_VCPUS;
	entry.vgic_dist_ipa = DIST_IPA;
	entry.vgic_redist_ipa = REDIST_IPA;
	part.entry = &entry;
	part.kind = RAMPART_KIND_VM;
	part.nr_vcpus = NR_VCPUS;
	for (unsigned int i = 0; i < NR_VCPUS; i++)
		part.vcpus[i] = (struct vcpu){ .part = &part, .id = i };
	assert_int_equal(vgic_init(&part.vgic, NR_VCPUS, NR_SPIS), 0);
	/* The table as partition_build.c makes it. */
	part.mmio[part.nr_mmio++] = (struct mmio_dev){ UART_IPA, UART_SIZE, uart };
	part.mmio[part.nr_mmio++] = (struct mmio_dev){ DIST_IPA, VGIC_DIST_SIZE, vgic_mmio_dist };
	part.mmio[part.nr_mmio++] =
		(struct mmio_dev){ REDIST_IPA, (uint64_t)NR_VCPUS * VGIC_REDIST_STRIDE, vgic_mmio_redist };
}

/* Non-reset state, so that a wrong frame or register shows. */
static void give_state(void)
{
	static const struct {
		uint64_t ipa;
		unsigned int size;
		uint64_t val;
	} w[] = {
		{ DIST_IPA + 0x0000, 4, 2 },			   /* GICD_CTLR.EnableGrp1 */
		{ DIST_IPA + 0x0104, 4, 0x80000001 },		   /* ISENABLER1 */
		{ DIST_IPA + 0x0208, 4, 0x00010100 },		   /* ISPENDR2 */
		{ DIST_IPA + 0x0304, 4, 0x00000010 },		   /* ISACTIVER1 */
		{ DIST_IPA + 0x0420, 4, 0xa0b0c0d0 },		   /* IPRIORITYR8 */
		{ DIST_IPA + 0x0c08, 4, 0x0000a0a0 },		   /* ICFGR2 */
		{ DIST_IPA + 0x6000 + 8 * 40, 8, 2 },		   /* IROUTER40 */
		{ REDIST_IPA + 0x0014, 4, 0 },			   /* vCPU 0 WAKER */
		{ REDIST_IPA + 0x10100, 4, 0x08000002 },	   /* vCPU 0 ISENABLER0 */
		{ REDIST_IPA + 0x20000 + 0x10200, 4, 0x10 },	   /* vCPU 1 ISPENDR0 */
		{ REDIST_IPA + 0x40000 + 0x10400, 4, 0x11223344 }, /* vCPU 2 IPRIORITYR0 */
		{ REDIST_IPA + 0x40000 + 0x10c04, 4, 0x80000000 }, /* vCPU 2 ICFGR1 */
	};
	for (unsigned int i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		uint64_t v = w[i].val;
		assert_int_equal(partition_mmio(&part, &part.vcpus[0], w[i].ipa, w[i].size, 1, &v), 0);
	}
}

/* One read both ways: the same result code and value. */
static void same_read(uint64_t ipa, unsigned int size, unsigned int *served)
{
	struct vcpu *v = &part.vcpus[1];
	uint64_t direct = 0x1111, table = 0x1111, off = 0;
	int rc_direct = partition_mmio(&part, v, ipa, size, 0, &direct);
	const struct mmio_dev *d = partition_mmio_dev(&part, ipa);
	int rc_table = d ? d->access(&part, v, ipa - d->base, size, 0, &table) : -1;

	if (rc_direct != rc_table || direct != table)
		fail_msg("IPA %#llx size %u: direct path %d/%#llx, table %d/%#llx", (unsigned long long)ipa,
			 size, rc_direct, (unsigned long long)direct, rc_table, (unsigned long long)table);
	/* The realm's exit finds the same device at the same offset. */
	mmio_access_fn f = partition_mmio_find(&part, ipa, &off);
	assert_ptr_equal(f, d ? d->access : NULL);
	if (d)
		assert_int_equal(off, ipa - d->base);
	*served += rc_direct == 0;
}

static void test_every_gicd_register_reads_the_same_both_ways(void **state)
{
	unsigned int served = 0;
	(void)state;
	build();
	give_state();
	for (uint64_t off = 0; off < VGIC_DIST_SIZE; off += 4) {
		same_read(DIST_IPA + off, 4, &served);
		same_read(DIST_IPA + off, 1, &served);
		if (!(off & 7))
			same_read(DIST_IPA + off, 8, &served);
	}
	/* IROUTER of INTIDs 32..1019 alone: 988 registers, each read as two words and a doubleword. */
	assert_true(served > 3 * 988 + 0x200);
	/* Just past the page, and the other device: the direct path must not claim them. */
	same_read(DIST_IPA + VGIC_DIST_SIZE, 4, &served);
	same_read(DIST_IPA - 4, 4, &served);
	same_read(UART_IPA + 0x18, 4, &served);
}

static void test_every_gicr_register_reads_the_same_both_ways(void **state)
{
	unsigned int served = 0;
	(void)state;
	build();
	give_state();
	for (unsigned int f = 0; f < NR_VCPUS; f++) {
		uint64_t base = REDIST_IPA + f * VGIC_REDIST_STRIDE;
		for (uint64_t off = 0; off < VGIC_REDIST_STRIDE; off += 4) {
			same_read(base + off, 4, &served);
			if (!(off & 7))
				same_read(base + off, 8, &served);
		}
		for (uint64_t off = 0x10400; off < 0x10420; off++)
			same_read(base + off, 1, &served);
	}
	/* Per frame: RD_base (CTLR, IIDR, TYPER, STATUSR, WAKER, PIDR2) and SGI_base (~30 words). */
	assert_true(served > 40 * NR_VCPUS);
	/* The first byte after the last frame belongs to nobody. */
	same_read(REDIST_IPA + NR_VCPUS * VGIC_REDIST_STRIDE, 4, &served);
}

/* Writes through the direct path change the model the table path reads, and kick the vCPUs with news. */
/* A guest's GICD write (done, accepted) is passed on with its offset; reads and refused writes are not. */
static void test_distributor_writes_reach_the_router(void **state)
{
	uint64_t v = 1;

	(void)state;
	build();
	reroutes = 0;
	assert_int_equal(partition_mmio(&part, &part.vcpus[0], DIST_IPA + 0x6000 + 8 * 40, 8, 1, &v), 0);
	assert_int_equal(reroutes, 1);
	assert_int_equal(reroute_off, 0x6000 + 8 * 40);
	assert_int_equal(partition_mmio(&part, &part.vcpus[0], DIST_IPA + 0x6000 + 8 * 40, 8, 0, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(partition_mmio(&part, &part.vcpus[0], DIST_IPA + 0x6000 + 8 * 40 + 2, 4, 1, &v), -1);
	assert_int_equal(reroutes, 1);
}

static void test_writes_reach_the_model_and_kick(void **state)
{
	uint64_t v = 1U << 5, got = 0;
	(void)state;
	build();
	give_state();
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		part.vcpus[i].in_guest = 1;
		vgic_clear_notify(&part.vgic, i);
	}
	(void)vgic_take_kicks(&part.vgic);
	/* vCPU 0 enables SGI 5 of vCPU 2, which is pending: vCPU 2 gains a ready interrupt and is kicked. */
	uint64_t p5 = 1U << 5;
	assert_int_equal(partition_mmio(&part, &part.vcpus[0], REDIST_IPA + 2 * VGIC_REDIST_STRIDE + 0x10200,
					4, 1, &p5),
			 0);
	kicks_sent = 0;
	assert_int_equal(partition_mmio(&part, &part.vcpus[0], REDIST_IPA + 2 * VGIC_REDIST_STRIDE + 0x10100,
					4, 1, &v),
			 0);
	assert_int_equal(kicks_sent, 1);
	assert_int_equal(part.vgic.notify, 1U << 2);
	const struct mmio_dev *d = partition_mmio_dev(&part, REDIST_IPA);
	assert_int_equal(d->access(&part, &part.vcpus[0], 2 * VGIC_REDIST_STRIDE + 0x10100, 4, 0, &got), 0);
	assert_int_equal(got, 1U << 5);
	/* A read gives nobody news. */
	kicks_sent = 0;
	assert_int_equal(partition_mmio(&part, &part.vcpus[0], DIST_IPA + 4, 4, 0, &got), 0);
	assert_int_equal(kicks_sent, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_gicd_register_reads_the_same_both_ways),
		cmocka_unit_test(test_every_gicr_register_reads_the_same_both_ways),
		cmocka_unit_test(test_writes_reach_the_model_and_kick),
		cmocka_unit_test(test_distributor_writes_reach_the_router),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
