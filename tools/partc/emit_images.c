/*
 * partc image list: one line per guest image with its PA in the image
 * staging area, for the packer (load "flash": the image goes into the flash
 * package and the monitor copies it to that PA) and for the QEMU runner
 * (load "external": -device loader puts it at that PA before the CPUs
 * start, as a bootloader would).
 *
 *   # partition image load pa size file
 *   linux kernel external 0x58003000 41794048 build/images/linux/Image
 */
#include <stdio.h>
#include "partc.h"

static void line(FILE *f, const struct pc_partition *pt, const char *what, uint64_t pa, uint64_t size,
		 const char *file)
{
	fprintf(f, "%s %s %s 0x%llx %llu %s\n", pt->label, what, pt->images_external ? "external" : "flash",
		(unsigned long long)pa, (unsigned long long)size, file);
}

int pc_emit_images(const struct pc_model *m, const char *const *dtb_files, const char *out)
{
	FILE *f = fopen(out, "w");

	if (!f) {
		fprintf(stderr, "partc: cannot create %s\n", out);
		return -1;
	}
	fprintf(f, "# partc image list (docs/partitions.md): partition image load pa size file\n");
	for (unsigned int id = 0; id < m->nr_partitions; id++) {
		for (unsigned int i = 0; i < m->nr_partitions; i++) {
			const struct pc_partition *pt = &m->partitions[i];
			if (pt->id != id)
				continue;
			line(f, pt, "kernel", pt->kernel_pa, pt->kernel.file_size, pt->kernel.file);
			if (pt->initrd.given)
				line(f, pt, "initrd", pt->initrd_pa, pt->initrd.file_size, pt->initrd.file);
			line(f, pt, "dtb", pt->dtb_pa, pt->dtb_size, dtb_files[i]);
		}
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "partc: cannot write %s\n", out);
		return -1;
	}
	return 0;
}
