/* ARM PL011 UART, polled. */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H
#include <stddef.h>
#include <stdint.h>

void pl011_init(uintptr_t base);
void pl011_putc(uintptr_t base, char c);
/* Writes n bytes, turning "\n" into "\r\n". */
void pl011_write(uintptr_t base, const char *s, size_t n);
/* Receive (and receive-timeout) interrupt on or off. */
void pl011_rx_irq(uintptr_t base, int on);
/* Returns the next received byte, or -1 if none is waiting. */
int pl011_getc(uintptr_t base);
#endif
