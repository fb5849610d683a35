/*
 * partc: the image files a partition names (kernel, initrd, dtb-fragment),
 * looked up in the --image-path directories and inspected while parsing,
 * so that validation (validate_images.c) is free of I/O: what was found
 * (or what is there instead: a directory, a device), its size, the arm64
 * Image header's footprint, whether a fragment is a valid DTB.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libfdt.h>
#include "partc.h"

#define ARM64_IMAGE_MAGIC 0x644d5241U /* "ARM\x64" at offset 0x38 */

/* Bounded copy; longer names are cut (and then not found). */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static uint64_t le64(const unsigned char *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

static void inspect_image(struct pc_image *im, bool want_dtb)
{
	FILE *f = fopen(im->file, "rb");
	unsigned char h[64];

	im->mem_size = im->file_size;
	if (!f) {
		im->read_errno = errno;
		return;
	}
	if (!want_dtb && fread(h, 1, sizeof(h), f) == sizeof(h) &&
	    (uint32_t)le64(h + 0x38) == ARM64_IMAGE_MAGIC) {
		uint64_t image_size = le64(h + 16);
		im->text_offset = le64(h + 8);
		if (image_size > im->mem_size)
			im->mem_size = image_size;
	}
	/* A larger fragment cannot fit the guest DTB, valid or not: validate.c says so. */
	if (want_dtb && im->file_size <= RAMPART_DTB_MAX) {
		void *buf = malloc((size_t)im->file_size);
		if (buf && fread(buf, 1, (size_t)im->file_size, f) == im->file_size) {
			int rc = pc_check_blob(buf, (size_t)im->file_size);
			im->valid_dtb = rc == 0;
			im->dtb_error = rc ? fdt_strerror(rc) : NULL;
		} else {
			im->read_errno = buf ? EIO : ENOMEM;
		}
		free(buf);
	}
	fclose(f);
}

/* What a path that exists but is not a regular file is, for the message. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

void pc_find_image(const char *const *search, unsigned int nr_search, struct pc_image *im, const char *name,
		   bool want_dtb)
{
	struct stat st;
	char other[PC_FILE_MAX] = "";

	im->given = true;
	copy_str(im->name, sizeof(im->name), name);
	for (unsigned int i = 0; i < (name[0] == '/' ? 1 : nr_search); i++) {
		if (name[0] == '/')
			copy_str(im->file, sizeof(im->file), name);
		else if ((size_t)snprintf(im->file, sizeof(im->file), "%s/%s", search[i], name) >=
			 sizeof(im->file))
			continue;
		if (stat(im->file, &st) != 0)
			continue;
		if (S_ISREG(st.st_mode)) {
			im->found = true;
			im->file_size = (uint64_t)st.st_size;
			inspect_image(im, want_dtb);
			return;
		}
		/* A file of that name later in the search path still wins; else say what this is. */
		if (!im->not_file) {
			im->not_file = file_kind(st.st_mode);
			copy_str(other, sizeof(other), im->file);
		}
	}
	copy_str(im->file, sizeof(im->file), other);
}
