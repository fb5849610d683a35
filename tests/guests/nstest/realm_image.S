/* The realmtest image, embedded so that realm.c can DATA_CREATE it from NS memory. */
	.section .rodata.realm_image, "a"
	.balign	4096
	.global	realm_image_start
realm_image_start:
	.incbin	REALMTEST_BIN
	.balign	4096
	.global	realm_image_end
realm_image_end:
