/*
 * The physical NS console shared by the hypervisor and the partitions'
 * virtual UARTs: each partition's output line carries its prefix.
 */
#include <arch/spinlock.h>
#include <arch/sysreg.h>
#include <drivers/pl011.h>
#include "hyp.h"
#include <lib/string.h>
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
	spin_lock(&console_lock);
	pl011_write(CONFIG_UART_NS_BASE, "[", 1);
	pl011_write(CONFIG_UART_NS_BASE, prefix, strlen(prefix));
	pl011_write(CONFIG_UART_NS_BASE, "] ", 2);
	pl011_write(CONFIG_UART_NS_BASE, s, n);
	pl011_write(CONFIG_UART_NS_BASE, "\n", 1);
	spin_unlock(&console_lock);
}
