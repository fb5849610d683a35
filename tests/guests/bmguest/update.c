/*
 * test=update pkg=IPA: the update authority's side of an update
 * (docs/secure-boot.md, "Update flow"). In a trial boot it confirms;
 * otherwise, if a package newer than the running one waits at pkg (a QEMU
 * loader put it there, as a download would), it writes it into the inactive
 * bank page by page and arms it. test=update-denied: every update call from
 * a partition that is not the authority, which must all be DENIED.
 */
#include <arch/smc.h>
#include <lib/printf.h>
#include <rampart/manifest.h>
#include <rampart/update.h>
#include "bmguest.h"

#define PROGRESS_PAGES 8 /* a progress line every 32 KiB: the power-loss test's kill points */

static void call(struct smc_args *a, uint64_t fid, uint64_t x1, uint64_t x2, uint64_t x3)
{
	*a = (struct smc_args){ { fid, x1, x2, x3, 0, 0, 0, 0 } };
	smc_call(a);
}

static struct smc_args info(void)
{
	struct smc_args a;

	call(&a, RAMPART_HVC_UPDATE_INFO, 0, 0, 0);
	printk("update: info %ld bank %lu trial %lu pending %lu attempts %lu version %lu counter %lu\n",
	       (long)a.x[0], a.x[1] & 0xff, (a.x[1] >> 8) & 1, (a.x[1] >> 16) & 0xff, (a.x[1] >> 24) & 0xff,
	       a.x[2], a.x[3]);
	return a;
}

/* Bytes of the bank image at pkg: up to the end of its last image (0: no package there). */
static uint64_t package_length(const struct mf_header *h)
{
	const struct mf_image *im = (const struct mf_image *)(h + 1);
	uint64_t end = 0;

	if (h->magic != MF_MAGIC || h->image_count == 0 || h->image_count > MF_MAX_IMAGES)
		return 0;
	for (unsigned int i = 0; i < h->image_count; i++) {
		if (im[i].offset + im[i].size > end)
			end = im[i].offset + im[i].size;
	}
	return end;
}

static void denied(void)
{
	struct smc_args w, r, c, i;

	call(&i, RAMPART_HVC_UPDATE_INFO, 0, 0, 0);
	call(&w, RAMPART_HVC_UPDATE_WRITE, 0, 0x40000000, 0x1000);
	call(&r, RAMPART_HVC_UPDATE_ARM, 0, 0, 0);
	call(&c, RAMPART_HVC_UPDATE_CONFIRM, 0, 0, 0);
	printk("update: not the authority: info %ld write %ld arm %ld confirm %ld\n", (long)i.x[0],
	       (long)w.x[0], (long)r.x[0], (long)c.x[0]);
}

void test_update(uint64_t pkg, int not_authority)
{
	struct smc_args a;

	if (not_authority) {
		denied();
		return;
	}
	a = info();
	if (a.x[0])
		return;
	if ((a.x[1] >> 8) & 1) {
		call(&a, RAMPART_HVC_UPDATE_CONFIRM, 0, 0, 0);
		printk("update: confirm %ld\n", (long)a.x[0]);
		info();
		return;
	}
	const struct mf_header *h = (const struct mf_header *)pkg;
	uint64_t len = pkg ? package_length(h) : 0;
	if (!len || h->security_version <= a.x[2]) {
		printk("update: nothing to do\n");
		return;
	}
	/* Out-of-bounds requests first: refused, and nothing written. */
	call(&a, RAMPART_HVC_UPDATE_WRITE, 0, 0x10, 0x1000);
	printk("update: write from outside my RAM %ld\n", (long)a.x[0]);
	call(&a, RAMPART_HVC_UPDATE_WRITE, 0x7ffff000, pkg, 0x1000);
	printk("update: write outside the bank %ld\n", (long)a.x[0]);
	printk("update: writing version %u, 0x%lx bytes\n", h->security_version, len);
	for (uint64_t off = 0; off < len; off += UPDATE_WRITE_MAX) {
		uint64_t n = len - off < UPDATE_WRITE_MAX ? len - off : UPDATE_WRITE_MAX;
		call(&a, RAMPART_HVC_UPDATE_WRITE, off, pkg + off, (n + 3) & ~3UL);
		if (a.x[0]) {
			printk("update: write at 0x%lx failed %ld\n", off, (long)a.x[0]);
			return;
		}
		if ((off / UPDATE_WRITE_MAX) % PROGRESS_PAGES == PROGRESS_PAGES - 1)
			printk("update: wrote 0x%lx\n", off + n);
	}
	call(&a, RAMPART_HVC_UPDATE_ARM, 0, 0, 0);
	printk("update: arm %ld %lu\n", (long)a.x[0], a.x[1]);
	info();
}
