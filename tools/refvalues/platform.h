/* refvalues platform (tools/refvalues/platform.c): a signed package's software components. */
#ifndef REFVALUES_PLATFORM_H
#define REFVALUES_PLATFORM_H
/* argv[0] is "platform"; returns the exit status (errors exit 2 with one line on stderr). */
int refvalues_platform(int argc, char **argv);
/* refvalues.c: "refvalues: error: ..." on stderr, exit status 2 (a usage or input error). */
void refvalues_die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#endif
