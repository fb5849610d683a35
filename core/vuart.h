/*
 * Virtual PL011 of a partition. Output goes to the physical console with a
 * per-partition prefix, a line at a time (or as it comes while someone types
 * into it); input arrives from the console multiplexer when this partition
 * has the focus.
 */
#ifndef CORE_VUART_H
#define CORE_VUART_H
#include <stdint.h>

#define VUART_LINE_MAX 128
/* Ends a screen line cut short by another writer; the whole line follows later. */
#define VUART_BROKEN_MARK " \\"
/*
 * Input waiting for the guest. Deeper than a PL011's 32 bytes (nothing the
 * guest sees depends on the depth): a line typed or pasted at full speed must
 * survive a guest that is slow to drain it, as a realm is (every register
 * access is a REC exit) on a loaded host. Beyond it input is lost and counted.
 */
#define VUART_RX_FIFO 1024
#define VUART_SIZE 0x1000

struct vuart {
	const char *prefix;
	char line[VUART_LINE_MAX];
	unsigned int len;   /* of the line being written */
	unsigned int shown; /* of those, on the screen already (vuart.c) */
	int live;	    /* the console's focus, typed into: output goes out as it comes */
	uint8_t rx[VUART_RX_FIFO];
	unsigned int rx_head, rx_count;
	uint32_t cr, lcrh, imsc, ibrd, fbrd, ifls;
	uint64_t dropped; /* RX bytes lost to a full FIFO */
};

void vuart_init(struct vuart *u, const char *prefix);
/* Register access; returns 0, or -1 for an access the device does not have. */
int vuart_access(struct vuart *u, uint64_t off, unsigned int size, int write, uint64_t *val);
void vuart_rx(struct vuart *u, uint8_t c);
/* The partition stops or restarts: what it wrote since its last newline goes out as a line. */
void vuart_flush_partial(struct vuart *u);
/* The interrupt line: a masked-in status bit is set. */
int vuart_irq_pending(const struct vuart *u);
/*
 * The shared screen (vuart.c explains it). Whoever else writes to it (the
 * hypervisor's log) calls vuart_screen_break() first, with the screen lock.
 */
void vuart_screen_break(void);
/* Hooks, the physical console's (console.c; the unit tests have their own). */
void vuart_screen_lock(void);
void vuart_screen_unlock(void);
void vuart_screen_prefix(const char *prefix); /* "[prefix] ", and a timestamp if configured */
void vuart_screen_raw(const char *s, unsigned int n);
#endif
