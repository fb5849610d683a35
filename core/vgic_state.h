/*
 * Between the vGIC's register decoder (vgic.c) and its state (vgic_state.c):
 * every change of interrupt state goes through these, which keep the index
 * and the notifications right. Word 0 is vcpu's private bank, word n > 0
 * SPI word n - 1 (vcpu ignored).
 */
#ifndef CORE_VGIC_STATE_H
#define CORE_VGIC_STATE_H
#include <stdint.h>
#include "vgic.h"

enum vgic_field { VGIC_ENABLED, VGIC_PENDING, VGIC_ACTIVE };

struct vgic_bank *vgic_bank_of(struct vgic *v, unsigned int vcpu, unsigned int word);
void vgic_bits_set(struct vgic *v, unsigned int vcpu, unsigned int word, enum vgic_field f, uint32_t bits);
void vgic_bits_clear(struct vgic *v, unsigned int vcpu, unsigned int word, enum vgic_field f, uint32_t bits);
/* As the guest reads them: listed interrupts with their list registers' state. */
uint32_t vgic_bits_read(struct vgic *v, unsigned int vcpu, unsigned int word, enum vgic_field f);
/* After a write of intid's priority. */
void vgic_prio_changed(struct vgic *v, unsigned int vcpu, unsigned int intid);
/* IROUTER of SPI spi (0-based) becomes irouter. */
void vgic_route(struct vgic *v, unsigned int spi, uint64_t irouter);
/* GICD_CTLR.EnableGrp1 becomes enable_grp1 (0 or VGIC_CTLR_ENABLE_GRP1). */
void vgic_set_ctlr(struct vgic *v, uint32_t enable_grp1);
#endif
