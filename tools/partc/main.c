/*
 * partc: the partition compiler. Reads the partition tree (a DTB compiled
 * with dtc) and the platform facts (options, from CONFIG_* values), checks
 * it, and writes into the output directory:
 *
 *   partition_table.c   the table the hypervisor links (rampart/partition.h)
 *   <label>.dtb         the device tree of each partition
 *   images.list         every guest image with its load method and PA
 *   reference-values.json  the expected RIM and RPV of every realm partition
 *
 * Exit status: 0, 1 for a bad tree (messages name the node and property),
 * 2 for bad usage or I/O. See docs/partitions.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libfdt.h>
#include "partc.h"

static const char *source = "";

static void usage(void)
{
	fprintf(stderr,
		"usage: partc [options] PARTITIONS.dtb\n"
		"  -o DIR, --out-dir DIR    write partition_table.c, <label>.dtb and images.list into DIR\n"
		"  --check                  only validate\n"
		"  --source NAME            file named in messages (default: the input)\n"
		"  --source-types FILE      the source as `dtc -I dts -O dts` writes it: how each property\n"
		"                           was written (/bits/ 64, [..]), which the DTB does not record\n"
		"  --dram BASE,SIZE         DRAM (required)\n"
		"  --nr-cpus N              physical CPUs 0..N-1 (required)\n"
		"  --nr-spis N              GIC SPIs 0..N-1 (required)\n"
		"  --reserve NAME,BASE,SIZE firmware carve-out in DRAM or MMIO (repeatable)\n"
		"  --reserve-spi NAME,SPI   SPI that no partition may own (repeatable)\n"
		"  --s2-table-pages N       stage-2 table pages the hypervisor has per normal VM (required)\n"
		"  --flash-budget BYTES     room for guest images in the flash package\n"
		"  --realm-limits S2SZ,BPS,WPS  what the platform's RMM offers realms (RMI_FEATURES:\n"
		"                           largest IPA width, breakpoints, watchpoints)\n"
		"  --image-path DIR         where image names are looked up, in order (repeatable;\n"
		"                           default: the directory of --source)\n");
	exit(2);
}

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "partc: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static void emit(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "partc: %s: %s\n", source, msg);
}

static uint64_t num(const char *s, const char *opt)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-')
		die("option %s: bad number '%s'", opt, s);
	return v;
}

/* Split "a,b[,c]" into n fields (in place). */
static void fields(char *s, char **f, int n, const char *opt)
{
	for (int i = 0; i < n; i++) {
		f[i] = s;
		s = strchr(s, ',');
		if ((i < n - 1) != (s != NULL))
			die("option %s: want %s", opt,
			    n == 2 ? "two comma-separated fields" : "three comma-separated fields");
		if (s)
			*s++ = '\0';
	}
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n ? (size_t)n : 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* Is path the same file as one of the inputs? */
static bool is_input(const char *path, const char *const *inputs, unsigned int n)
{
	struct stat a, b;

	if (stat(path, &a) != 0)
		return false;
	for (unsigned int i = 0; i < n; i++)
		if (inputs[i] && stat(inputs[i], &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return true;
	return false;
}

static int write_file(const char *path, const void *buf, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, size, f) != size) {
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

int main(int argc, char **argv)
{
	static struct pc_platform plat;
	static struct rampart_partition_table table;
	static struct pc_types types;
	const char *types_file = NULL;
	const char *input = NULL, *out_dir = NULL, *search[PC_MAX_SEARCH];
	unsigned int nr_search = 0;
	bool check_only = false, have_dram = false;
	char default_dir[PC_FILE_MAX], path[PC_FILE_MAX];
	struct pc_diag diag = { 0, emit, NULL };
	struct pc_model *m;
	void *fdt, *dtbs[RAMPART_MAX_PARTITIONS] = { 0 };
	char *dtb_files[RAMPART_MAX_PARTITIONS] = { 0 };
	size_t fdt_size;
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *v = NULL, *f[3];

		if (!strcmp(a, "--check")) {
			check_only = true;
			continue;
		}
		if (a[0] != '-') {
			if (input)
				usage();
			input = a;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		v = argv[++i];
		if (!strcmp(a, "-o") || !strcmp(a, "--out-dir")) {
			out_dir = v;
		} else if (!strcmp(a, "--source")) {
			source = v;
		} else if (!strcmp(a, "--source-types")) {
			types_file = v;
		} else if (!strcmp(a, "--dram")) {
			fields(v, f, 2, a);
			plat.dram_base = num(f[0], a);
			plat.dram_size = num(f[1], a);
			have_dram = true;
		} else if (!strcmp(a, "--nr-cpus")) {
			plat.nr_cpus = (uint32_t)num(v, a);
			if (plat.nr_cpus < 1 || plat.nr_cpus > RAMPART_MAX_PCPUS)
				die("option %s: %s is not 1..16 (RAMPART_MAX_PCPUS)", a, v);
		} else if (!strcmp(a, "--nr-spis")) {
			plat.nr_spis = (uint32_t)num(v, a);
			if (plat.nr_spis < 1 || plat.nr_spis > RAMPART_VGIC_MAX_SPIS)
				die("option %s: %s is not 1..%u (RAMPART_VGIC_MAX_SPIS, what the virtual GIC "
				    "models; the build passes CONFIG_GIC_NR_SPIS)",
				    a, v, RAMPART_VGIC_MAX_SPIS);
		} else if (!strcmp(a, "--reserve")) {
			struct pc_reserved *r = &plat.reserved[plat.nr_reserved];
			if (plat.nr_reserved == PC_MAX_RESERVED)
				die("option %s: too many (%s)", a, v);
			fields(v, f, 3, a);
			snprintf(r->name, sizeof(r->name), "%s", f[0]);
			r->base = num(f[1], a);
			r->size = num(f[2], a);
			plat.nr_reserved++;
		} else if (!strcmp(a, "--reserve-spi")) {
			struct pc_reserved_spi *r = &plat.reserved_spis[plat.nr_reserved_spis];
			if (plat.nr_reserved_spis == PC_MAX_RESERVED_SPIS)
				die("option %s: too many (%s)", a, v);
			fields(v, f, 2, a);
			snprintf(r->name, sizeof(r->name), "%s", f[0]);
			r->spi = (uint32_t)num(f[1], a);
			plat.nr_reserved_spis++;
		} else if (!strcmp(a, "--s2-table-pages")) {
			plat.s2_table_pages = (uint32_t)num(v, a);
			if (plat.s2_table_pages < 1)
				die("option %s: %s is not a page count", a, v);
		} else if (!strcmp(a, "--flash-budget")) {
			plat.flash_budget = num(v, a);
			plat.flash_budget_set = true;
		} else if (!strcmp(a, "--realm-limits")) {
			char *g[3];
			fields(v, g, 3, a);
			plat.realm_ipa_bits_max = (uint32_t)num(g[0], a);
			plat.realm_bps_max = (uint32_t)num(g[1], a);
			plat.realm_wps_max = (uint32_t)num(g[2], a);
			plat.realm_limits_set = true;
		} else if (!strcmp(a, "--image-path")) {
			if (nr_search == PC_MAX_SEARCH)
				die("option %s: more than 8 (%s)", a, v);
			search[nr_search++] = v;
		} else {
			usage();
		}
	}
	if (!input || (!out_dir && !check_only))
		usage();
	if (!have_dram || !plat.dram_size || !plat.nr_cpus || !plat.nr_spis || !plat.s2_table_pages)
		die("--dram, --nr-cpus, --nr-spis and --s2-table-pages are required (the build passes them "
		    "from CONFIG_*)");
	if (!source[0])
		source = input;
	if (!nr_search) {
		const char *slash = strrchr(source, '/');
		if (!slash)
			snprintf(default_dir, sizeof(default_dir), ".");
		else if (slash == source)
			snprintf(default_dir, sizeof(default_dir), "/");
		else
			snprintf(default_dir, sizeof(default_dir), "%.*s", (int)(slash - source), source);
		search[nr_search++] = default_dir;
	}

	fdt = read_file(input, &fdt_size);
	if (!fdt)
		die("cannot read %s", input);
	if ((rc = pc_check_blob(fdt, fdt_size)) != 0) {
		free(fdt);
		die("%s: not a valid DTB (%s)", input, fdt_strerror(rc));
	}
	if (types_file) {
		size_t n;
		char *text = read_file(types_file, &n);
		if (!text || !(text = realloc(text, n + 1)))
			die("cannot read %s", types_file);
		text[n] = '\0';
		if (pc_read_types(text, &types) != 0)
			die("%s: not DTS as dtc writes it (dtc -I dts -O dts)", types_file);
		if (types.overflow)
			die("%s: more than %d properties written with /bits/ or [..]; partc checks at most "
			    "that "
			    "many",
			    types_file, PC_MAX_TYPES);
		free(text);
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		die("out of memory");
	rc = 1;
	if (pc_parse(fdt, m, search, nr_search, types_file ? &types : NULL, &diag) != 0 ||
	    pc_validate(m, &plat, &diag) != 0)
		goto out;

	/* Guest device trees: their sizes complete the layout checks. */
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		struct pc_partition *pt = &m->partitions[i];
		void *frag = NULL;
		size_t frag_size;
		int n;

		if (pt->fragment.given && !(frag = read_file(pt->fragment.file, &frag_size)))
			die("cannot read %s", pt->fragment.file);
		dtbs[i] = malloc(RAMPART_DTB_MAX);
		if (!dtbs[i])
			die("out of memory");
		n = pc_build_dtb(m, i, frag, dtbs[i], RAMPART_DTB_MAX, &diag);
		free(frag);
		if (n < 0)
			goto out;
		pt->dtb_size = (uint64_t)n;
	}
	if (pc_check_final(m, &plat, &diag) != 0)
		goto out;
	rc = 0;
	if (check_only)
		goto out;

	rc = 2;
	if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "partc: cannot create %s\n", out_dir);
		goto out;
	}
	rc = 1;
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		const char *inputs[] = { input, types_file };
		size_t len = strlen(out_dir) + strlen(m->partitions[i].label) + 6;
		dtb_files[i] = malloc(len);
		if (!dtb_files[i])
			die("out of memory");
		snprintf(dtb_files[i], len, "%s/%s.dtb", out_dir, m->partitions[i].label);
		/* Checked for all before anything is written: a failed compile writes nothing. */
		if (is_input(dtb_files[i], inputs, 2))
			pc_error(&diag, m->partitions[i].path, "label",
				 "\"%s\" makes the guest device tree %s, which is partc's input; use another "
				 "label or output directory",
				 m->partitions[i].label, dtb_files[i]);
	}
	if (diag.count)
		goto out;
	rc = 2;
	for (unsigned int i = 0; i < m->nr_partitions; i++) {
		if (write_file(dtb_files[i], dtbs[i], (size_t)m->partitions[i].dtb_size) != 0) {
			fprintf(stderr, "partc: cannot write %s\n", dtb_files[i]);
			goto out;
		}
	}
	pc_fill_table(m, &plat, &table);
	snprintf(path, sizeof(path), "%s/partition_table.c", out_dir);
	if (pc_emit_table(m, &table, source, path) != 0)
		goto out;
	snprintf(path, sizeof(path), "%s/reference-values.json", out_dir);
	if (pc_emit_refvalues(m, &table, (const void *const *)dtbs, path) != 0)
		goto out;
	snprintf(path, sizeof(path), "%s/images.list", out_dir);
	if (pc_emit_images(m, (const char *const *)dtb_files, path) != 0 ||
	    pc_emit_flash_block(m, (const char *const *)dtb_files, out_dir) != 0)
		goto out;
	rc = 0;
out:
	if (diag.count > PC_MAX_ERRORS)
		fprintf(stderr, "partc: %s: %u more error%s not shown (the first %u are above)\n", source,
			diag.count - PC_MAX_ERRORS, diag.count - PC_MAX_ERRORS == 1 ? "" : "s",
			PC_MAX_ERRORS);
	for (unsigned int i = 0; i < RAMPART_MAX_PARTITIONS; i++) {
		free(dtbs[i]);
		free(dtb_files[i]);
	}
	free(m);
	free(fdt);
	return rc;
}
