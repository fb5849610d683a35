/* struct hash_ops over the host's libmbedcrypto (2.28 or 3.x), for host tools and unit tests. */
#ifndef REFVALUES_HASH_HOST_H
#define REFVALUES_HASH_HOST_H
#include <lib/hash.h>

extern const struct hash_ops hash_host_ops;
#endif
