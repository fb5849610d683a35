/*
 * partc: how each property of the source was written. A DTB stores bytes
 * only: `cpus = /bits/ 64 <1>` and `cpus = <0 1>` are the same 8 bytes,
 * and the first silently became CPUs 0 and 1. dtc keeps the notation when
 * it writes DTS (`dtc -I dts -O dts`, what the build passes as
 * --source-types), so partc reads that text and parse.c refuses a cell
 * property written with elements other than 32-bit cells where that changes
 * its meaning.
 *
 * The text is dtc's own output, which is regular: one node opening per line
 * ("[label: ]name {"), "};" closing it, one property per line
 * ("[label: ]name[ = value];"). Only properties with an element width other
 * than 32 bits are recorded. No recursion: the node path is a string that
 * grows and shrinks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "partc.h"

#define BITS_DIRECTIVE "/bits/"
#define DEFAULT_WIDTH 32U

/* Skip "label: " prefixes; returns the rest. */
static const char *skip_labels(const char *s, const char *end)
{
	for (;;) {
		const char *p = s;
		while (p < end && *p != ':' && *p != ' ' && *p != '=' && *p != ';')
			p++;
		if (p + 1 < end && *p == ':' && p[1] == ' ')
			s = p + 2;
		else
			return s;
	}
}

/* The widths (PC_WIDTH_*) of the elements in a value, strings skipped. */
static unsigned int value_widths(const char *s, const char *end)
{
	unsigned int widths = 0, next = DEFAULT_WIDTH;
	bool in_string = false;

	for (; s < end; s++) {
		if (in_string) {
			if (*s == '\\' && s + 1 < end)
				s++;
			else if (*s == '"')
				in_string = false;
			continue;
		}
		if (*s == '"') {
			in_string = true;
		} else if (*s == '[') {
			widths |= PC_WIDTH_BYTES;
		} else if (*s == '<') {
			widths |= next == 8    ? PC_WIDTH_8
				  : next == 16 ? PC_WIDTH_16
				  : next == 64 ? PC_WIDTH_64
					       : 0;
			next = DEFAULT_WIDTH;
		} else if (!strncmp(s, BITS_DIRECTIVE, strlen(BITS_DIRECTIVE))) {
			s += strlen(BITS_DIRECTIVE);
			next = (unsigned int)strtoul(s, NULL, 0);
		}
	}
	return widths;
}

static void record(struct pc_types *t, const char *path, const char *name, size_t len, unsigned int widths)
{
	struct pc_type *e;

	if (!widths)
		return;
	if (t->n == PC_MAX_TYPES) {
		t->overflow = true;
		return;
	}
	e = &t->e[t->n++];
	snprintf(e->path, sizeof(e->path), "%s", path);
	snprintf(e->prop, sizeof(e->prop), "%.*s", (int)(len < sizeof(e->prop) ? len : sizeof(e->prop) - 1),
		 name);
	e->widths = widths;
}

int pc_read_types(const char *text, struct pc_types *t)
{
	char path[PC_PATH_MAX] = "";
	int depth = 0;

	memset(t, 0, sizeof(*t));
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n'), *s;
		if (!end)
			end = line + strlen(line);
		s = line;
		while (s < end && (*s == '\t' || *s == ' '))
			s++;
		if (end - s >= 2 && !strncmp(end - 2, " {", 2) && !memchr(s, '=', (size_t)(end - s))) {
			/* A node: "/" at the root, else path + "/" + name. */
			const char *name = skip_labels(s, end - 2);
			size_t n = strlen(path), len = (size_t)(end - 2 - name);
			if (depth == 0 && !(len == 1 && *name == '/'))
				return -1;
			if (depth > 0 && n + 1 + len >= sizeof(path))
				return -1;
			if (depth > 0)
				snprintf(path + n, sizeof(path) - n, "%s%.*s", n > 1 ? "/" : "", (int)len,
					 name);
			else
				snprintf(path, sizeof(path), "/");
			depth++;
		} else if (end - s == 2 && !strncmp(s, "};", 2)) {
			char *slash = strrchr(path, '/');
			if (depth == 0 || !slash)
				return -1;
			slash[slash == path ? 1 : 0] = '\0';
			depth--;
		} else if (depth > 0 && end > s && end[-1] == ';') {
			const char *name = skip_labels(s, end), *eq = strstr(name, " = ");
			if (eq && eq < end)
				record(t, path, name, (size_t)(eq - name), value_widths(eq + 3, end));
		}
		line = *end ? end + 1 : end;
	}
	return depth == 0 ? 0 : -1;
}

unsigned int pc_type_widths(const struct pc_types *t, const char *path, const char *prop)
{
	for (unsigned int i = 0; t && i < t->n; i++)
		if (!strcmp(t->e[i].path, path) && !strcmp(t->e[i].prop, prop))
			return t->e[i].widths;
	return 0;
}
