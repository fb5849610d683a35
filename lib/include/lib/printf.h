/*
 * Minimal formatted output: %d %i %u %x %X %p %s %c %% with optional
 * '0' flag, width and the l / ll / z length modifiers. A line longer
 * than LOG_LINE_MAX is cut and marked with "~" so truncation is visible.
 */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H
#include <stdarg.h>
#include <stddef.h>

#define LOG_LINE_MAX 256

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Provided by each image: writes n bytes to its console, atomically per call. */
void console_write(const char *s, size_t n);
#endif
