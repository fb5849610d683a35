# Bare-metal test payloads (see tests/guests/README.md).
GUEST_IMAGES :=
