#include <lib/string.h>
#include "vuart.h"

#define UARTDR 0x000
#define UARTRSR 0x004
#define UARTFR 0x018
#define UARTILPR 0x020
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048
#define UART_ID_BASE 0xfe0

#define FR_RXFE (1U << 4)
#define FR_TXFE (1U << 7)
#define INT_RX (1U << 4)
#define CR_RESET 0x300 /* TXE | RXE */

/* PeriphID0..3 then PCellID0..3: what the AMBA bus probes before binding a driver. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

void vuart_init(struct vuart *u, const char *prefix)
{
	memset(u, 0, sizeof(*u));
	u->prefix = prefix;
	u->cr = CR_RESET;
}

/*
 * The screen every virtual UART shares with the hypervisor's log (one
 * physical console). A line goes out whole, after its partition's prefix,
 * when it ends. A live UART (the console's focus, with someone typing: a
 * prompt and the echo must show before Enter) and a line too long to hold go
 * out as they come instead, and stay open on the screen. Whoever writes next
 * while a line is open ends that screen line first, marked VUART_BROKEN_MARK
 * (a reader that joins a partition's lines drops those); the open line
 * resumes on a new one with its prefix and what it had shown, so every line
 * still reads whole. With the screen lock (vuart_screen_lock).
 */
static struct vuart *open_line;

void vuart_screen_break(void)
{
	if (open_line) {
		vuart_screen_raw(VUART_BROKEN_MARK "\n", sizeof(VUART_BROKEN_MARK));
		open_line = NULL;
	}
}

static void show(struct vuart *u, int eol)
{
	if (open_line != u) {
		vuart_screen_break();
		vuart_screen_prefix(u->prefix);
		vuart_screen_raw(u->line, u->shown);
	}
	vuart_screen_raw(u->line + u->shown, u->len - u->shown);
	u->shown = u->len;
	if (eol) {
		vuart_screen_raw("\n", 1);
		open_line = NULL;
	} else {
		open_line = u;
	}
}

void vuart_flush_partial(struct vuart *u)
{
	vuart_screen_lock();
	if (u->len > u->shown || open_line == u)
		show(u, 1);
	u->len = u->shown = 0;
	vuart_screen_unlock();
}

static void tx(struct vuart *u, uint8_t c)
{
	if (c == '\r')
		return;
	vuart_screen_lock();
	if (c == '\n') {
		show(u, 1);
		u->len = u->shown = 0;
	} else {
		if (u->len == VUART_LINE_MAX) {
			show(u, 0); /* too long to hold: out as it comes, never cut */
			u->len = u->shown = 0;
		}
		u->line[u->len++] = (char)c;
		if (u->live)
			show(u, 0);
	}
	vuart_screen_unlock();
}

void vuart_rx(struct vuart *u, uint8_t c)
{
	if (u->rx_count == VUART_RX_FIFO) {
		u->dropped++;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % VUART_RX_FIFO] = c;
	u->rx_count++;
}

static uint32_t ris(const struct vuart *u)
{
	return u->rx_count ? INT_RX : 0;
}

int vuart_irq_pending(const struct vuart *u)
{
	return (ris(u) & u->imsc) != 0;
}

static uint64_t read_reg(struct vuart *u, uint64_t off)
{
	switch (off) {
	case UARTDR:
		if (!u->rx_count)
			return 0;
		uint8_t c = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % VUART_RX_FIFO;
		u->rx_count--;
		return c;
	case UARTFR:
		return FR_TXFE | (u->rx_count ? 0 : FR_RXFE);
	case UARTIBRD:
		return u->ibrd;
	case UARTFBRD:
		return u->fbrd;
	case UARTLCR_H:
		return u->lcrh;
	case UARTCR:
		return u->cr;
	case UARTIFLS:
		return u->ifls;
	case UARTIMSC:
		return u->imsc;
	case UARTRIS:
		return ris(u);
	case UARTMIS:
		return ris(u) & u->imsc;
	default:
		if (off >= UART_ID_BASE && off < UART_ID_BASE + 4 * sizeof(pl011_id))
			return pl011_id[(off - UART_ID_BASE) / 4];
		return 0; /* RSR, ILPR, DMACR and reserved words read as zero */
	}
}

static void write_reg(struct vuart *u, uint64_t off, uint32_t v)
{
	switch (off) {
	case UARTDR:
		tx(u, (uint8_t)v);
		break;
	case UARTIBRD:
		u->ibrd = v & 0xffff;
		break;
	case UARTFBRD:
		u->fbrd = v & 0x3f;
		break;
	case UARTLCR_H:
		u->lcrh = v & 0xff;
		break;
	case UARTCR:
		u->cr = v & 0xffff;
		break;
	case UARTIFLS:
		u->ifls = v & 0x3f;
		break;
	case UARTIMSC:
		u->imsc = v & 0x7ff;
		break;
	default: /* RSR/ECR, ICR (RX is level: clears itself when drained), DMACR: ignored */
		break;
	}
}

int vuart_access(struct vuart *u, uint64_t off, unsigned int size, int write, uint64_t *val)
{
	if (off >= VUART_SIZE || (size != 1 && size != 2 && size != 4) || (off & (size - 1)))
		return -1;
	if (write)
		write_reg(u, off & ~3UL, (uint32_t)*val);
	else
		*val = read_reg(u, off & ~3UL);
	return 0;
}
