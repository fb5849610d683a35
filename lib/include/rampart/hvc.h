/*
 * The hypervisor calls a normal-VM partition makes (SMCCC 1.2 fast calls,
 * owner 6: vendor-specific hypervisor service; by HVC, or by SMC, which the
 * hypervisor traps). Results in x0. docs/partitions.md describes each; the
 * update calls are in update.h.
 *
 *   DOORBELL        x1 = a shared-memory region's rampart,id: raise the other
 *                   peer's doorbell SPI. 0, or RAMPART_HVC_INVALID.
 *   WATCHDOG_KICK   restart the partition's virtual watchdog (its `watchdog`
 *                   node): the next expiry is timeout-ms from now. 0, or
 *                   RAMPART_HVC_NOT_SUPPORTED when it has no watchdog.
 */
#ifndef RAMPART_HVC_H
#define RAMPART_HVC_H

#define RAMPART_HVC_DOORBELL 0xc6000001U
#define RAMPART_HVC_WATCHDOG_KICK 0xc6000002U

#define RAMPART_HVC_NOT_SUPPORTED (-1L) /* SMCCC NOT_SUPPORTED */
#define RAMPART_HVC_INVALID (-2L)	/* SMCCC INVALID_PARAMETER */
#endif
