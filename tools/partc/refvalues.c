/*
 * partc reference values: the Realm Initial Measurement every realm
 * partition will have, predicted by replaying its build plan over its
 * images (lib/realm_rim.c with the host's SHA-2), and its Realm
 * Personalization Value, written as one JSON file that
 * tools/verify/rampart-verify reads with --ref FILE --realm LABEL:
 *
 *   {"format": "rampart-reference-values/1",
 *    "realms": {"<label>": {"hash-algo": "sha-256", "rim": "<hex>",
 *                           "rems": [null, null, null, null], "rpv": "<hex>", ...}}}
 *
 * REMs are not predicted (a realm extends them at run time): null means
 * "not checked". The other members record what the values were computed from.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <lib/realm_plan.h>
#include <lib/realm_rim.h>
#include "../refvalues/hash_host.h"
#include "partc.h"

struct images {
	const struct pc_partition *pt;
	const struct rampart_partition *e;
	const uint8_t *dtb;
	FILE *kernel, *initrd;
	const char *failed; /* the file that could not be read */
};

static int read_file_at(FILE **f, const char *path, uint64_t offset, uint64_t len, uint8_t *page,
			const char **failed)
{
	if (!*f)
		*f = fopen(path, "rb");
	if (!*f || fseek(*f, (long)offset, SEEK_SET) != 0 || fread(page, 1, (size_t)len, *f) != len) {
		*failed = path;
		return -1;
	}
	return 0;
}

static int read_page(void *ctx, const struct rampart_image *img, uint64_t offset, uint64_t len, uint8_t *page)
{
	struct images *im = ctx;

	memset(page, 0, REALM_GRANULE);
	if (img == &im->e->dtb) {
		memcpy(page, im->dtb + offset, (size_t)len);
		return 0;
	}
	if (img == &im->e->kernel)
		return read_file_at(&im->kernel, im->pt->kernel.file, offset, len, page, &im->failed);
	if (img == &im->e->initrd)
		return read_file_at(&im->initrd, im->pt->initrd.file, offset, len, page, &im->failed);
	return -1;
}

static void hex(FILE *f, const uint8_t *p, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
	fputc('"', f);
}

static void realm_json(FILE *f, const struct pc_partition *pt, const struct rampart_partition *e,
		       const uint8_t *rim)
{
	size_t n = e->realm.hash_algo == RMI_HASH_SHA_512 ? 64 : 32;

	fprintf(f, "    \"%s\": {\n      \"hash-algo\": \"%s\",\n      \"rim\": ", e->label,
		n == 64 ? "sha-512" : "sha-256");
	hex(f, rim, n);
	fprintf(f, ",\n      \"rems\": [null, null, null, null],\n      \"rpv\": ");
	hex(f, e->realm.rpv, RAMPART_RPV_SIZE);
	/* Provenance only. */
	fprintf(f,
		",\n      \"node\": \"%s\",\n      \"realm-params\": {\"s2sz\": %u, \"num-bps\": %u, "
		"\"num-wps\": %u},\n",
		pt->path, e->realm.ipa_bits, e->realm.num_bps, e->realm.num_wps);
	fprintf(f,
		"      \"vcpus\": %u,\n      \"images\": {\"kernel\": {\"ipa\": \"0x%llx\", \"size\": %llu}",
		e->nr_vcpus, (unsigned long long)e->kernel.ipa, (unsigned long long)e->kernel.size);
	if (e->initrd.size)
		fprintf(f, ", \"initrd\": {\"ipa\": \"0x%llx\", \"size\": %llu}",
			(unsigned long long)e->initrd.ipa, (unsigned long long)e->initrd.size);
	fprintf(f, ", \"dtb\": {\"ipa\": \"0x%llx\", \"size\": %llu}}\n    }", (unsigned long long)e->dtb.ipa,
		(unsigned long long)e->dtb.size);
}

int pc_emit_refvalues(const struct pc_model *m, const struct rampart_partition_table *t,
		      const void *const *dtbs, const char *out)
{
	FILE *f = fopen(out, "w");
	unsigned int n = 0;
	int rc = 0;

	if (!f) {
		fprintf(stderr, "partc: cannot create %s: %s\n", out, strerror(errno));
		return -1;
	}
	fprintf(f, "{\n  \"format\": \"rampart-reference-values/1\",\n  \"realms\": {");
	for (unsigned int id = 0; id < m->nr_partitions && rc == 0; id++) {
		for (unsigned int i = 0; i < m->nr_partitions; i++) {
			const struct pc_partition *pt = &m->partitions[i];
			if (pt->id != id || pt->kind != RAMPART_KIND_REALM)
				continue;
			struct images im = { pt, &t->partitions[id], dtbs[i], NULL, NULL, NULL };
			uint8_t rim[MEASURE_SIZE];
			int r = realm_rim(im.e, &hash_host_ops, read_page, &im, rim);
			if (im.kernel)
				fclose(im.kernel);
			if (im.initrd)
				fclose(im.initrd);
			if (r) {
				fprintf(stderr, "partc: %s: cannot compute the realm's RIM (%s%s)\n",
					pt->path, im.failed ? "cannot read " : "error ",
					im.failed ? im.failed : "in lib/measure");
				rc = -1;
				break;
			}
			fprintf(f, "%s\n", n++ ? "," : "");
			realm_json(f, pt, im.e, rim);
		}
	}
	fprintf(f, "%s}\n}\n", n ? "\n  " : "");
	if (fclose(f) != 0 && rc == 0) {
		fprintf(stderr, "partc: cannot write %s\n", out);
		rc = -1;
	}
	return rc;
}
