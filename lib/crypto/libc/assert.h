/* Only the C11 static assertion: Mbed TLS uses it for compile-time checks. */
#ifndef CRYPTO_LIBC_ASSERT_H
#define CRYPTO_LIBC_ASSERT_H
#define static_assert _Static_assert
#define assert(x) ((void)0)
#endif
