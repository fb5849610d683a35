/* Just enough flattened-device-tree walking to read /chosen/bootargs and /psci's method. */
#include <lib/string.h>
#include "bmguest.h"

#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
#define FDT_MAX_WORDS 0x40000 /* 1 MiB of structure block: stop a runaway walk */

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Property prop of the top-level node named node (unit address ignored), or NULL. */
static const char *find_prop(const uint8_t *dtb, const char *node, const char *prop, uint32_t *len)
{
	if (be32(dtb) != FDT_MAGIC)
		return NULL;
	const uint8_t *st = dtb + be32(dtb + 8), *strs = dtb + be32(dtb + 12);
	unsigned int depth = 0, in_node = 0;
	size_t nlen = strlen(node);

	for (uint32_t off = 0, n = 0; n < FDT_MAX_WORDS; n++) {
		uint32_t tok = be32(st + off);
		off += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)st + off;
			depth++;
			in_node = depth == 2 && strnlen(name, nlen) == nlen &&
				  memcmp(name, node, nlen) == 0 && (name[nlen] == 0 || name[nlen] == '@');
			off += (strlen(name) + 4) & ~3U;
		} else if (tok == FDT_END_NODE) {
			depth--;
			in_node = 0;
		} else if (tok == FDT_PROP) {
			uint32_t plen = be32(st + off), nameoff = be32(st + off + 4);
			if (in_node && strcmp((const char *)strs + nameoff, prop) == 0) {
				*len = plen;
				return (const char *)st + off + 8;
			}
			off += 8 + ((plen + 3) & ~3U);
		} else if (tok != FDT_NOP) {
			return NULL; /* FDT_END or garbage */
		}
	}
	return NULL;
}

int psci_uses_hvc(const void *dtb)
{
	uint32_t len = 0;
	const char *m = find_prop(dtb, "psci", "method", &len);

	return m && len >= 4 && memcmp(m, "hvc", 4) == 0;
}

const char *bootarg(const void *dtb, const char *key, unsigned int *len)
{
	uint32_t n = 0;
	const char *s = find_prop(dtb, "chosen", "bootargs", &n);
	size_t klen = strlen(key);

	if (!s)
		return NULL;
	for (uint32_t i = 0; i + klen < n; i++) {
		if ((i == 0 || s[i - 1] == ' ') && memcmp(s + i, key, klen) == 0 && s[i + klen] == '=') {
			const char *v = s + i + klen + 1;
			unsigned int l = 0;
			while (v + l < s + n && v[l] && v[l] != ' ')
				l++;
			*len = l;
			return v;
		}
	}
	return NULL;
}
