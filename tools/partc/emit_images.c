/*
 * partc image list: one line per guest image with its PA in the image
 * staging area, for the packer (load "flash": the image goes into the flash
 * package and the monitor copies it to that PA) and for the QEMU runner
 * (load "external": -device loader puts it at that PA before the CPUs
 * start, as a bootloader would).
 *
 *   # partition image load pa size file
 *   linux kernel external 0x58003000 41794048 build/images/linux/Image
 *
 * The flash images sit together at the start of the staging area
 * (pc_stage): flash-images.bin is that block as it must appear in memory
 * (each image at its staging offset, zero between them), so the flash
 * package carries it as one entry whatever the number of partitions, and
 * flash-images.list names it: "<pa> <size> <file>", or nothing.
 */
#include <stdio.h>
#include "partc.h"

static void line(FILE *f, const struct pc_partition *pt, const char *what, uint64_t pa, uint64_t size,
		 const char *file)
{
	fprintf(f, "%s %s %s 0x%llx %llu %s\n", pt->label, what, pt->images_external ? "external" : "flash",
		(unsigned long long)pa, (unsigned long long)size, file);
}

/* Copy size bytes of file src to f at offset off. */
static int copy_at(FILE *f, uint64_t off, const char *src, uint64_t size)
{
	FILE *in = fopen(src, "rb");
	char buf[65536];
	uint64_t done = 0;

	if (!in || fseek(f, (long)off, SEEK_SET) != 0) {
		if (in)
			fclose(in);
		return -1;
	}
	while (done < size) {
		size_t n = fread(buf, 1, sizeof(buf), in);
		if (n == 0 || fwrite(buf, 1, n, f) != n)
			break;
		done += n;
	}
	fclose(in);
	return done == size ? 0 : -1;
}

int pc_emit_flash_block(const struct pc_model *m, const char *const *dtb_files, const char *dir)
{
	char bin[PC_FILE_MAX], list[PC_FILE_MAX];
	uint64_t end = 0;
	int rc = 0;

	snprintf(bin, sizeof(bin), "%s/flash-images.bin", dir);
	snprintf(list, sizeof(list), "%s/flash-images.list", dir);
	FILE *l = fopen(list, "w"), *f = NULL;
	if (!l) {
		fprintf(stderr, "partc: cannot create %s\n", list);
		return -1;
	}
	for (unsigned int i = 0; i < m->nr_partitions && rc == 0; i++) {
		const struct pc_partition *pt = &m->partitions[i];
		const struct {
			uint64_t pa, size;
			const char *file;
		} im[3] = { { pt->kernel_pa, pt->kernel.file_size, pt->kernel.file },
			    { pt->initrd_pa, pt->initrd.given ? pt->initrd.file_size : 0, pt->initrd.file },
			    { pt->dtb_pa, pt->dtb_size, dtb_files[i] } };
		if (pt->images_external)
			continue;
		if (!f && !(f = fopen(bin, "wb"))) {
			fprintf(stderr, "partc: cannot create %s\n", bin);
			rc = -1;
			break;
		}
		for (unsigned int k = 0; k < 3 && rc == 0; k++) {
			if (!im[k].size)
				continue;
			if (copy_at(f, im[k].pa - m->staging.base, im[k].file, im[k].size)) {
				fprintf(stderr, "partc: cannot copy %s into %s\n", im[k].file, bin);
				rc = -1;
			}
			if (im[k].pa - m->staging.base + im[k].size > end)
				end = im[k].pa - m->staging.base + im[k].size;
		}
	}
	if (f && fclose(f) != 0)
		rc = -1;
	if (rc == 0 && end)
		fprintf(l, "0x%llx %llu %s\n", (unsigned long long)m->staging.base, (unsigned long long)end,
			bin);
	if (fclose(l) != 0)
		rc = -1;
	return rc;
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
