#include <arch/mmio.h>
#include <drivers/pl011.h>

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIMSC 0x038
#define FR_RXFE (1U << 4)
#define FR_TXFF (1U << 5)
#define LCRH_WLEN8 (3U << 5)
#define LCRH_FEN (1U << 4)
#define IMSC_RXIM (1U << 4)
#define IMSC_RTIM (1U << 6)
#define CR_UARTEN (1U << 0)
#define CR_TXE (1U << 8)
#define CR_RXE (1U << 9)

void pl011_init(uintptr_t base)
{
	/* Clocking and baud rate are the platform's (fixed on QEMU); frame 8N1. */
	mmio_write32(base + UARTCR, 0);
	mmio_write32(base + UARTLCR_H, LCRH_WLEN8 | LCRH_FEN);
	mmio_write32(base + UARTIMSC, 0);
	mmio_write32(base + UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
}

void pl011_putc(uintptr_t base, char c)
{
	while (mmio_read32(base + UARTFR) & FR_TXFF)
		;
	mmio_write32(base + UARTDR, (unsigned char)c);
}

void pl011_write(uintptr_t base, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			pl011_putc(base, '\r');
		pl011_putc(base, s[i]);
	}
}

void pl011_rx_irq(uintptr_t base, int on)
{
	mmio_write32(base + UARTIMSC, on ? (IMSC_RXIM | IMSC_RTIM) : 0);
}

int pl011_getc(uintptr_t base)
{
	if (mmio_read32(base + UARTFR) & FR_RXFE)
		return -1;
	return (int)(mmio_read32(base + UARTDR) & 0xff);
}
