/*
 * pack: build the flash image. The monitor goes at offset 0; the package
 * table at -p OFFSET; each -i name:file:load_addr image follows, 4 KiB
 * aligned. Fails (non-zero, a message naming the problem) on anything that
 * does not fit rather than truncating.
 *
 * usage: pack -o out.bin -m monitor.bin -p OFFSET -f FLASH_SIZE -i rmm:rmm.bin:ADDR [-i hyp:...]
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rampart/package.h>

#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))
#define IMAGE_ALIGN 4096

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pack: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static unsigned char *read_file(const char *path, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open %s", path);
	if (fseek(f, 0, SEEK_END) != 0)
		die("cannot seek %s", path);
	long n = ftell(f);
	if (n < 0)
		die("cannot size %s", path);
	rewind(f);
	unsigned char *buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		die("cannot read %s", path);
	fclose(f);
	*size = (uint64_t)n;
	return buf;
}

static uint64_t parse_num(const char *s, const char *what)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || end == s)
		die("bad number for %s", what);
	return v;
}

static uint32_t image_id(const char *name)
{
	if (!strcmp(name, "rmm"))
		return PKG_ID_RMM;
	if (!strcmp(name, "hyp"))
		return PKG_ID_HYP;
	if (!strcmp(name, "blob"))
		return PKG_ID_BLOB;
	die("unknown image name '%s' (rmm, hyp, blob)", name);
}

int main(int argc, char **argv)
{
	const char *out = NULL, *monitor = NULL;
	uint64_t pkg_off = 0, flash = 0;
	const char *specs[PKG_MAX_ENTRIES];
	unsigned int nspecs = 0;

	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			die("option %s needs a value", argv[i]);
		if (!strcmp(argv[i], "-o"))
			out = argv[++i];
		else if (!strcmp(argv[i], "-m"))
			monitor = argv[++i];
		else if (!strcmp(argv[i], "-p"))
			pkg_off = parse_num(argv[++i], "-p");
		else if (!strcmp(argv[i], "-f"))
			flash = parse_num(argv[++i], "-f");
		else if (!strcmp(argv[i], "-i")) {
			if (nspecs == PKG_MAX_ENTRIES)
				die("image %u (%s) is one too many: the flash package has %u entries "
				    "(PKG_MAX_ENTRIES, lib/include/rampart/package.h); the RMM and the "
				    "hypervisor "
				    "take one each, and all flash-loaded guest images travel in one more, "
				    "partc's "
				    "flash-images.bin (docs/partitions.md, \"Images\"): pass that instead of "
				    "single images",
				    nspecs + 1, argv[i + 1], PKG_MAX_ENTRIES);
			specs[nspecs++] = argv[++i];
		} else
			die("unknown option %s", argv[i]);
	}
	if (!out || !monitor || !pkg_off || !flash)
		die("usage: %s", "pack -o OUT -m MONITOR -p PKG_OFFSET -f FLASH_SIZE -i name:file:addr ...");

	uint64_t msize;
	unsigned char *mon = read_file(monitor, &msize);
	if (msize > pkg_off)
		die("monitor image (%s) is larger than the package offset", monitor);

	struct pkg_header hdr;
	memset(&hdr, 0, sizeof(hdr));
	hdr.magic = PKG_MAGIC;
	hdr.version = PKG_VERSION;
	hdr.header_size = sizeof(hdr);
	hdr.count = nspecs;

	unsigned char *imgs[PKG_MAX_ENTRIES];
	uint64_t cursor = ALIGN_UP(pkg_off + sizeof(hdr), IMAGE_ALIGN);
	for (unsigned int i = 0; i < nspecs; i++) {
		char buf[1024];
		if (strlen(specs[i]) >= sizeof(buf))
			die("image spec too long: %s", specs[i]);
		strcpy(buf, specs[i]);
		char *name = strtok(buf, ":"), *file = strtok(NULL, ":"), *addr = strtok(NULL, ":");
		if (!name || !file || !addr)
			die("bad image spec '%s' (want name:file:load_addr)", specs[i]);
		struct pkg_entry *e = &hdr.entries[i];
		e->id = image_id(name);
		e->load_addr = parse_num(addr, specs[i]);
		imgs[i] = read_file(file, &e->size);
		e->offset = cursor;
		cursor = ALIGN_UP(cursor + e->size, IMAGE_ALIGN);
		if (cursor > flash)
			die("images do not fit in the 0x%llx bytes of flash: %s ends at 0x%llx",
			    (unsigned long long)flash, file, (unsigned long long)cursor);
	}

	FILE *f = fopen(out, "wb");
	if (!f)
		die("cannot create %s", out);
	unsigned char *img = calloc(1, cursor);
	if (!img)
		die("out of memory for %s", out);
	memcpy(img, mon, msize);
	memcpy(img + pkg_off, &hdr, sizeof(hdr));
	for (unsigned int i = 0; i < nspecs; i++)
		memcpy(img + hdr.entries[i].offset, imgs[i], hdr.entries[i].size);
	if (fwrite(img, 1, cursor, f) != cursor || fclose(f) != 0)
		die("cannot write %s", out);
	return 0;
}
