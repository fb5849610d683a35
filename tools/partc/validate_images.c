/*
 * partc validation of the guest images: the staging area they wait in, the
 * files themselves (found, readable, a valid DTB fragment), their layout in
 * region 0, and, once the guest DTBs exist, their places in the staging
 * area and the flash budget. Pure functions over the model, like validate.c.
 */
#include <stdio.h>
#include <string.h>
#include "partc.h"

/* ------------------------------------------------------------ image staging area */

/*
 * A range of NS DRAM the container reserves (image-staging, realm-metadata):
 * page aligned, in DRAM outside the firmware, and apart from every partition's
 * RAM and every shared-memory region that no earlier check rejected. `what`
 * says what the range is for when it is missing.
 */
bool pc_check_container_dram(const struct pc_model *m, const struct pc_platform *p, struct pc_diag *d,
			     const char *prop, const char *what, bool given, uint64_t pa, uint64_t size)
{
	if (!given) {
		pc_error(d, m->container, prop, "missing (<pa size>: %s)", what);
		return false;
	}
	if (!size) {
		pc_error(d, m->container, prop, "size 0");
		return false;
	}
	if (!pc_check_range(d, m->container, prop, "PA", pa, size, RAMPART_PAGE_SIZE, false))
		return false;
	if (size % RAMPART_PAGE_SIZE) {
		pc_error(d, m->container, prop, "size 0x%llx is not a multiple of 0x%x",
			 (unsigned long long)size, RAMPART_PAGE_SIZE);
		return false;
	}
	if (!pc_check_ram_pa(d, p, m->container, prop, "PA", pa, size))
		return false;
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];
		for (unsigned int k = 0; k < pt->nr_mem; k++) {
			if (!pt->mem_rejected[k] && pc_overlap(pa, size, pt->mem[k].pa, pt->mem[k].size)) {
				pc_error(d, m->container, prop, "PA %s overlaps %s region %u PA %s",
					 pc_rng(pa, size).s, pt->name, k,
					 pc_rng(pt->mem[k].pa, pt->mem[k].size).s);
				return false;
			}
		}
	}
	for (unsigned int s = 0; s < m->nr_shm; s++) {
		const struct pc_shm *sh = &m->shm[s];
		if (sh->has_memory && !sh->mem_rejected && pc_overlap(pa, size, sh->mem.pa, sh->mem.size)) {
			pc_error(d, m->container, prop, "PA %s overlaps %s PA %s", pc_rng(pa, size).s,
				 sh->path, pc_rng(sh->mem.pa, sh->mem.size).s);
			return false;
		}
	}
	return true;
}

static bool staging_ok(const struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	return pc_check_container_dram(m, p, d, "image-staging",
				       "NS DRAM where guest images wait for the hypervisor", m->has_staging,
				       m->staging.base, m->staging.size);
}

void pc_check_staging(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	m->staging_rejected = !staging_ok(m, p, d);
}

/* ------------------------------------------------------------ images */

static void check_image(const struct pc_partition *pt, const char *prop, const struct pc_image *im,
			const char *search, struct pc_diag *d)
{
	if (!im->given)
		return;
	if (!im->found && im->not_file) {
		pc_error(d, pt->path, prop, "image \"%s\": %s is %s, not a file", im->name, im->file,
			 im->not_file);
		return;
	}
	if (!im->found && im->name[0] == '/') {
		pc_error(d, pt->path, prop, "image \"%s\" not found (an absolute name is not searched for)",
			 im->name);
		return;
	}
	if (!im->found) {
		pc_error(d, pt->path, prop, "image \"%s\" not found (searched: %s)", im->name, search);
		return;
	}
	if (im->read_errno) {
		pc_error(d, pt->path, prop, "image %s cannot be read (%s)", im->file,
			 strerror(im->read_errno));
		return;
	}
	if (!im->file_size) {
		pc_error(d, pt->path, prop, "image %s is empty", im->file);
		return;
	}
	if (strpbrk(im->file, " \t\n")) {
		pc_error(d, pt->path, prop,
			 "file name \"%s\" contains white space (the image list is "
			 "white-space separated)",
			 im->file);
		return;
	}
}

void pc_check_images(const struct pc_model *m, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (!pt->kernel.given)
			pc_error(d, pt->path, "kernel", "missing");
		check_image(pt, "kernel", &pt->kernel, m->search_desc, d);
		if (pt->kernel.text_offset >= RAMPART_MEM_ALIGN || pt->kernel.text_offset % RAMPART_PAGE_SIZE)
			pc_error(
				d, pt->path, "kernel",
				"%s: arm64 Image header text_offset 0x%llx is not a page multiple below 0x%x",
				pt->kernel.file, (unsigned long long)pt->kernel.text_offset,
				RAMPART_MEM_ALIGN);
		check_image(pt, "initrd", &pt->initrd, m->search_desc, d);
		check_image(pt, "dtb-fragment", &pt->fragment, m->search_desc, d);
		if (!pt->fragment.found || !pt->fragment.file_size || pt->fragment.read_errno ||
		    pt->fragment.valid_dtb)
			continue;
		if (pt->fragment.file_size > RAMPART_DTB_MAX)
			pc_error(d, pt->path, "dtb-fragment",
				 "%s is 0x%llx bytes, more than a guest's whole device tree may be (0x%x, "
				 "RAMPART_DTB_MAX), and the fragment is merged into it",
				 pt->fragment.file, (unsigned long long)pt->fragment.file_size,
				 RAMPART_DTB_MAX);
		else if (pt->fragment.dtb_error)
			pc_error(d, pt->path, "dtb-fragment", "%s is not a valid DTB (%s)", pt->fragment.file,
				 pt->fragment.dtb_error);
		else
			pc_error(d, pt->path, "dtb-fragment", "%s is not a valid DTB", pt->fragment.file);
	}
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/*
 * Image layout in memory region 0 (docs/partitions.md): the kernel at its
 * base (+ text_offset), the initrd on the next 2 MiB boundary after the
 * kernel's footprint, the device tree slot on the 2 MiB boundary after that.
 * Sizes come from files and headers: compared before they are added, or
 * added saturating, so that no message shows a wrapped size.
 */
void pc_layout(struct pc_model *m, struct pc_diag *d)
{
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		struct pc_partition *pt = &m->partitions[i];
		const struct pc_mem *r0 = &pt->mem[0];
		const struct pc_image *k = &pt->kernel;

		/* text_offset < 2 MiB <= the region's size: checked before. */
		if (k->mem_size > k->file_size && k->mem_size > r0->size - k->text_offset) {
			pc_error(d, pt->path, "kernel",
				 "%s: the arm64 Image header's image_size 0x%llx (the kernel's footprint in "
				 "RAM, "
				 "BSS included) is more than region 0 holds (0x%llx bytes)",
				 k->file, (unsigned long long)k->mem_size, (unsigned long long)r0->size);
			continue;
		}
		uint64_t ksize = pc_align_up(sat_add(k->text_offset, k->mem_size), RAMPART_MEM_ALIGN);
		uint64_t isize = pt->initrd.given ? pc_align_up(pt->initrd.file_size, RAMPART_MEM_ALIGN) : 0;
		uint64_t need = sat_add(sat_add(ksize, isize), RAMPART_DTB_MAX);

		if (need > r0->size || ksize < k->mem_size) {
			pc_error(d, pt->path, "memory",
				 "region 0 (0x%llx bytes) is too small for the images: kernel 0x%llx, initrd "
				 "0x%llx and the device tree 0x%x need 0x%llx bytes",
				 (unsigned long long)r0->size, (unsigned long long)ksize,
				 (unsigned long long)isize, RAMPART_DTB_MAX, (unsigned long long)need);
			continue;
		}
		pt->kernel_ipa = r0->ipa + k->text_offset;
		pt->initrd_ipa = pt->initrd.given ? r0->ipa + ksize : 0;
		pt->dtb_ipa = r0->ipa + ksize + isize;
	}
}

static uint64_t flash_bytes(const struct pc_partition *pt)
{
	uint64_t n = pc_align_up(pt->kernel.file_size, RAMPART_PAGE_SIZE) +
		     pc_align_up(pt->dtb_size, RAMPART_PAGE_SIZE);

	if (pt->initrd.given)
		n += pc_align_up(pt->initrd.file_size, RAMPART_PAGE_SIZE);
	return n;
}

/*
 * Pack the images into the staging area: first those of the partitions
 * loaded from flash, then the external ones, each group in partition-id
 * order. The flash images thus form one block at the start of the area,
 * which the packer can ship as one package entry.
 */
void pc_stage(struct pc_model *m, struct pc_diag *d)
{
	uint64_t used = 0;

	for (unsigned int pass = 0; pass < 2; pass++) {
		for (unsigned int id = 0; id < m->nr_partitions; id++) {
			for (unsigned int i = 0; i < m->nr_partitions; i++) {
				struct pc_partition *pt = &m->partitions[i];
				if (pt->id != id || pt->images_external != (pass == 1))
					continue;
				pt->kernel_pa = m->staging.base + used;
				used += pc_align_up(pt->kernel.file_size, RAMPART_PAGE_SIZE);
				pt->initrd_pa = pt->initrd.given ? m->staging.base + used : 0;
				if (pt->initrd.given)
					used += pc_align_up(pt->initrd.file_size, RAMPART_PAGE_SIZE);
				pt->dtb_pa = m->staging.base + used;
				used += pc_align_up(pt->dtb_size, RAMPART_PAGE_SIZE);
				if (used > m->staging.size) {
					pc_error(d, m->container, "image-staging",
						 "0x%llx bytes, too small for the guest images (0x%llx bytes "
						 "up to "
						 "%s's)",
						 (unsigned long long)m->staging.size,
						 (unsigned long long)used, pt->name);
					return;
				}
			}
		}
	}
}

unsigned int pc_check_final(struct pc_model *m, const struct pc_platform *p, struct pc_diag *d)
{
	unsigned int before = d->count;
	uint64_t used = 0;

	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (pt->dtb_size > RAMPART_DTB_MAX)
			pc_error(
				d, pt->path, pt->fragment.given ? "dtb-fragment" : NULL,
				"the generated device tree is 0x%llx bytes, more than 0x%x (RAMPART_DTB_MAX)",
				(unsigned long long)pt->dtb_size, RAMPART_DTB_MAX);
	}
	if (d->count != before)
		return d->count - before;
	pc_stage(m, d);
	for (unsigned int i = 0; i < m->nr_partitions && p->flash_budget_set; i++) {
		const struct pc_partition *pt = &m->partitions[i];

		if (pt->images_external)
			continue;
		used += flash_bytes(pt);
		if (used > p->flash_budget) {
			pc_error(d, pt->path, "image-load",
				 "the images in the flash package need 0x%llx bytes so far, more than the "
				 "0x%llx "
				 "available; use image-load = \"external\" for large images",
				 (unsigned long long)used, (unsigned long long)p->flash_budget);
			break;
		}
	}
	return d->count - before;
}
