/*
 * The physical NS console shared by the hypervisor and the partitions'
 * virtual UARTs: each partition's output line carries its prefix.
 */
#include <arch/spinlock.h>
#include <arch/sysreg.h>
#include <drivers/pl011.h>
#include "hyp.h"
#include <lib/string.h>
#include "partition.h"
#include "vuart.h"

static spinlock_t console_lock = SPINLOCK_INIT;

static int mmu_on(void)
{
	return (read_sysreg(sctlr_el2) & SCTLR_M) != 0;
}

void console_write(const char *s, size_t n)
{
	int locked = mmu_on();

	if (locked)
		spin_lock(&console_lock);
	pl011_write(CONFIG_UART_NS_BASE, s, n);
	if (locked)
		spin_unlock(&console_lock);
}

void vuart_emit(const char *prefix, const char *s, unsigned int n)
{
#ifdef CONFIG_HYP_CONSOLE_TIMESTAMPS
	/* When the line was complete: "@<counter> " (1 tick = 1 instruction under -icount). */
	char stamp[24];
	int len = snprintf(stamp, sizeof(stamp), "@%lu ", (unsigned long)read_cntpct());
#endif
	spin_lock(&console_lock);
	pl011_write(CONFIG_UART_NS_BASE, "[", 1);
	pl011_write(CONFIG_UART_NS_BASE, prefix, strlen(prefix));
	pl011_write(CONFIG_UART_NS_BASE, "] ", 2);
#ifdef CONFIG_HYP_CONSOLE_TIMESTAMPS
	pl011_write(CONFIG_UART_NS_BASE, stamp, (size_t)len);
#endif
	pl011_write(CONFIG_UART_NS_BASE, s, n);
	pl011_write(CONFIG_UART_NS_BASE, "\n", 1);
	spin_unlock(&console_lock);
}

/*
 * Console input. The physical UART's receive interrupt is routed to CPU 0,
 * which waits for it when it runs no vCPU; received bytes go to the virtual
 * UART of the partition that has the focus. Ctrl-A then 'n' moves the focus
 * to the next partition with a console; Ctrl-A Ctrl-A sends one Ctrl-A.
 * A CPU 0 that runs a vCPU leaves input unserved (documented limitation).
 */
#define CONSOLE_ESCAPE 0x01 /* Ctrl-A */
#define CONSOLE_NEXT 'n'

static unsigned int focus;
static int escaped;

static struct partition *focused(void)
{
	for (unsigned int i = 0; i < nr_partitions; i++) {
		struct partition *p = &partitions[(focus + i) % nr_partitions];
		if (p->has_console) {
			focus = (unsigned int)(p - partitions);
			return p;
		}
	}
	return NULL;
}

static void deliver(struct partition *p, uint8_t c)
{
	uint32_t kicks = 0;

	spin_lock(&p->lock);
	vuart_rx(&p->vuart, c);
	if (vuart_irq_pending(&p->vuart))
		kicks = partition_pend_spi(p, p->console_intid);
	spin_unlock(&p->lock);
	partition_kick(p, NULL, kicks);
}

static void console_input(int c)
{
	struct partition *p = focused();

	if (!p)
		return;
	if (escaped) {
		escaped = 0;
		if (c == CONSOLE_NEXT) {
			focus = (focus + 1) % nr_partitions;
			p = focused();
			HLOG("console input goes to %s\n", p->name);
			return;
		}
	} else if (c == CONSOLE_ESCAPE) {
		escaped = 1;
		return;
	}
	deliver(p, (uint8_t)c);
}

void console_input_loop(void)
{
	struct partition *p = focused();

	if (!p) {
		for (;;)
			wfi();
	}
	HLOG("console input goes to %s (Ctrl-A n: next partition)\n", p->name);
	hyp_console_irq_init();
	pl011_rx_irq(CONFIG_UART_NS_BASE, 1);
	for (;;) {
		int c;
		testhook_probe_realm();
		while ((c = pl011_getc(CONFIG_UART_NS_BASE)) >= 0)
			console_input(c);
		wfi();
		hyp_console_irq_ack();
	}
}
