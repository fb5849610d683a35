/*
 * The update interface (docs/secure-boot.md, "Update interface"): the
 * monitor's SiP calls, which only the Normal world's EL2 may make, and the
 * hypervisor calls through which the update-authority partition named in
 * the partition tree reaches them. Same arguments and results at both
 * levels, except that a partition passes an IPA of its own RAM where the
 * hypervisor passes a PA.
 *
 *   INFO     -> x1 = booted bank | booted as trial << 8 | pending trial bank
 *                    (0xff: none) << 16 | trial boots so far << 24,
 *               x2 = booted security version, x3 = NV counter, x4 = bank size
 *   WRITE    (x1 = offset in the inactive bank, x2 = buffer, x3 = length):
 *               offset a multiple of UPDATE_WRITE_MAX, 0 < length <= UPDATE_WRITE_MAX,
 *               length a multiple of 4; an offset at the start of an erase
 *               block erases that block first; the first write of an offset-0
 *               block cancels a pending trial of that bank
 *   ARM      verify the inactive bank's manifest (structure, bank, signer,
 *               signature, security version >= counter) and boot it as a trial
 *               from the next reset; REFUSED with x1 = enum mf_err otherwise
 *   CONFIRM  the trial boot running now is good: it becomes the confirmed
 *               bank and the NV counter moves up to its security version
 *
 * WRITE and ARM are DENIED during a trial boot (its fallback is the bank
 * they would write); CONFIRM is DENIED when this boot is not a trial.
 */
#ifndef RAMPART_UPDATE_H
#define RAMPART_UPDATE_H

#define RAMPART_SMC_UPDATE_INFO 0xc2000100U
#define RAMPART_SMC_UPDATE_WRITE 0xc2000101U
#define RAMPART_SMC_UPDATE_ARM 0xc2000102U
#define RAMPART_SMC_UPDATE_CONFIRM 0xc2000103U

#define RAMPART_HVC_UPDATE_INFO 0xc6000010U
#define RAMPART_HVC_UPDATE_WRITE 0xc6000011U
#define RAMPART_HVC_UPDATE_ARM 0xc6000012U
#define RAMPART_HVC_UPDATE_CONFIRM 0xc6000013U

#define UPDATE_OK 0L
#define UPDATE_NOT_SUPPORTED (-1L) /* SMCCC NOT_SUPPORTED */
#define UPDATE_INVALID (-2L)	   /* offset, length or buffer out of bounds */
#define UPDATE_DENIED (-3L)	   /* not the update authority, or not now (see above) */
#define UPDATE_REFUSED (-4L)	   /* the package would not boot: x1 = enum mf_err */
#define UPDATE_FLASH_ERROR (-5L)

#define UPDATE_WRITE_MAX 0x1000U
#define UPDATE_NO_TRIAL 0xffU
#endif
