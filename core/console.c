/*
 * The physical NS console shared by the hypervisor and the partitions'
 * virtual UARTs. Output: the hypervisor's log lines and the screen hooks of
 * vuart.c, under one lock. Input: the console multiplexer below.
 */
#include <arch/spinlock.h>
#include <arch/sysreg.h>
#include <drivers/pl011.h>
#include <lib/string.h>
#include <rampart/smccc.h>
#include "hyp.h"
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

	if (locked) {
		spin_lock(&console_lock);
		vuart_screen_break(); /* a partition's open line ends before a log line */
	}
	pl011_write(CONFIG_UART_NS_BASE, s, n);
	if (locked)
		spin_unlock(&console_lock);
}

void vuart_screen_lock(void)
{
	spin_lock(&console_lock);
}

void vuart_screen_unlock(void)
{
	spin_unlock(&console_lock);
}

void vuart_screen_prefix(const char *prefix)
{
	pl011_write(CONFIG_UART_NS_BASE, "[", 1);
	pl011_write(CONFIG_UART_NS_BASE, prefix, strlen(prefix));
	pl011_write(CONFIG_UART_NS_BASE, "] ", 2);
#ifdef CONFIG_HYP_CONSOLE_TIMESTAMPS
	/* "@<counter> " when the line goes out (1 tick = 1 instruction under -icount). */
	char stamp[24];
	int len = snprintf(stamp, sizeof(stamp), "@%lu ", (unsigned long)read_cntpct());
	pl011_write(CONFIG_UART_NS_BASE, stamp, (size_t)len);
#endif
}

void vuart_screen_raw(const char *s, unsigned int n)
{
	pl011_write(CONFIG_UART_NS_BASE, s, n);
}

/*
 * Console input. The physical UART's receive interrupt goes to CPU 0, which
 * serves it whether it sleeps (no vCPU of its own) or runs a vCPU (the
 * interrupt is an exit, hyp_irq). Received bytes go to the virtual UART of
 * the focused partition, which then shows its output as it comes (live).
 * Keys after Ctrl-A: n the next running partition with a console, x power
 * the machine off, h a reminder, Ctrl-A one Ctrl-A. Everything else (Ctrl-C
 * too) is the partition's.
 */
#define CONSOLE_ESCAPE 0x01 /* Ctrl-A */
#define KEY_NEXT 'n'
#define KEY_OFF 'x'
#define KEY_HELP 'h'
#define NO_FOCUS (~0U)

static spinlock_t focus_lock = SPINLOCK_INIT;
static unsigned int focus = NO_FOCUS; /* partition index, under focus_lock */
static int escaped;		      /* only CPU 0 reads input */

static int takes_input(const struct partition *p)
{
	return p->has_console && __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) != PART_STOPPED;
}

/* The next partition from index `from` on that takes input, or NO_FOCUS. */
static unsigned int next_focus(unsigned int from)
{
	for (unsigned int i = 0; i < nr_partitions; i++) {
		unsigned int k = (from + i) % nr_partitions;
		if (takes_input(&partitions[k]))
			return k;
	}
	return NO_FOCUS;
}

/* Under focus_lock: move the focus and say where input goes now. */
static void set_focus(unsigned int k)
{
	if (focus != NO_FOCUS)
		__atomic_store_n(&partitions[focus].vuart.live, 0, __ATOMIC_RELAXED);
	focus = k;
	if (k == NO_FOCUS)
		HLOG("console input goes nowhere: no running partition has a console\n");
	else
		HLOG("console input goes to %s\n", partitions[k].name);
}

void console_partition_stopped(const struct partition *p)
{
	spin_lock(&focus_lock);
	if (focus != NO_FOCUS && &partitions[focus] == p)
		set_focus(next_focus(focus + 1));
	spin_unlock(&focus_lock);
}

static void deliver(struct partition *p, uint8_t c)
{
	spin_lock(&p->lock);
	uint64_t before = p->vuart.dropped;
	p->vuart.live = 1;
	vuart_rx(&p->vuart, c);
	uint32_t kicks = partition_spi_level(p, p->console_intid, vuart_irq_pending(&p->vuart));
	uint64_t dropped = p->vuart.dropped;
	spin_unlock(&p->lock);
	partition_kick(p, NULL, kicks);
	/* Said at the 1st, 2nd, 4th, ... lost byte: visible, and bounded however long it goes on. */
	if (dropped != before && !(dropped & (dropped - 1)))
		HLOG("partition %s: console input lost: %lu byte(s) so far (its receive FIFO was full)\n",
		     p->name, dropped);
}

static void escape_key(int c)
{
	switch (c) {
	case KEY_NEXT:
		spin_lock(&focus_lock);
		set_focus(next_focus(focus == NO_FOCUS ? 0 : focus + 1));
		spin_unlock(&focus_lock);
		break;
	case KEY_OFF:
		HLOG("console: Ctrl-A x: powering the machine off\n");
		smc1(PSCI_SYSTEM_OFF, 0);
		break;
	case KEY_HELP:
	default:
		HLOG("console keys: Ctrl-A n next partition, Ctrl-A x power off, Ctrl-A Ctrl-A sends "
		     "Ctrl-A\n");
		break;
	}
}

static void console_input(int c)
{
	if (escaped) {
		escaped = 0;
		if (c != CONSOLE_ESCAPE) {
			escape_key(c);
			return;
		}
	} else if (c == CONSOLE_ESCAPE) {
		escaped = 1;
		return;
	}
	spin_lock(&focus_lock);
	struct partition *p = focus == NO_FOCUS ? NULL : &partitions[focus];
	spin_unlock(&focus_lock);
	if (p)
		deliver(p, (uint8_t)c);
}

void console_rx(void)
{
	int c;

	while ((c = pl011_getc(CONFIG_UART_NS_BASE)) >= 0)
		console_input(c);
}

void console_input_init(void)
{
	spin_lock(&focus_lock);
	focus = next_focus(0);
	spin_unlock(&focus_lock);
	if (focus == NO_FOCUS)
		return;
	HLOG("console input goes to %s (Ctrl-A n: next partition, Ctrl-A x: power off, Ctrl-A h: keys)\n",
	     partitions[focus].name);
	hyp_console_irq_init();
	pl011_rx_irq(CONFIG_UART_NS_BASE, 1);
}

void console_input_loop(void)
{
	for (;;) {
		testhook_probe_realm();
		console_rx();
		wfi();
		hyp_console_irq_ack();
	}
}
