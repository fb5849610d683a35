/*
 * A small CBOR (RFC 8949) encoder for attestation tokens: definite-length
 * items only, written into a caller buffer, no heap, no recursion.
 *
 * Every call either writes one whole item (or header) or writes nothing and
 * latches an error: a buffer that is too small is CBOR_ERR_OVERFLOW, never a
 * silently shortened encoding. The first error sticks, so a sequence of puts
 * can be checked once with cbor_finish(). Containers are declared with their
 * item count and checked when closed; nesting is tracked on a fixed stack of
 * CBOR_MAX_DEPTH frames.
 *
 * A "wrapped" byte string (cbor_wrap_begin/end) holds CBOR encoded in place,
 * e.g. a COSE_Sign1 payload or protected header: its contents are encoded
 * first, then moved up by the size of the byte-string head once the length is
 * known, so the result is the shortest (deterministic) encoding and needs no
 * second buffer.
 */
#ifndef LIB_CBOR_H
#define LIB_CBOR_H
#include <stddef.h>
#include <stdint.h>

/* Tag -> map -> bstr -> tag 18 -> array -> bstr -> map -> array is 6 deep; room to spare. */
#define CBOR_MAX_DEPTH 8
/* The longest head: initial byte + 8-byte argument. */
#define CBOR_HEAD_MAX 9

enum cbor_err {
	CBOR_OK = 0,
	CBOR_ERR_OVERFLOW = -1, /* the item does not fit in the buffer */
	CBOR_ERR_DEPTH = -2,	/* more than CBOR_MAX_DEPTH open containers */
	CBOR_ERR_COUNT = -3,	/* a container got more or fewer items than declared */
	CBOR_ERR_STATE = -4,	/* close/end without its open, dangling tag, finish with open items */
	CBOR_ERR_ARG = -5,	/* map pair count too large, NULL data with a non-zero length */
};

enum cbor_frame_kind {
	CBOR_FRAME_ARRAY,
	CBOR_FRAME_MAP,
	CBOR_FRAME_WRAP,
};

struct cbor_frame {
	uint64_t left; /* array/map: items still expected */
	size_t start;  /* wrap: offset of the first content byte */
	enum cbor_frame_kind kind;
};

struct cbor_enc {
	uint8_t *buf;
	size_t size;
	size_t len; /* bytes of complete output so far */
	int err;    /* first error, sticky */
	unsigned int depth;
	int tag_pending; /* a tag was written; the next item is its content */
	struct cbor_frame frame[CBOR_MAX_DEPTH];
};

void cbor_init(struct cbor_enc *e, void *buf, size_t size);

int cbor_put_uint(struct cbor_enc *e, uint64_t v);
/* The negative integer -1 - n (so n = UINT64_MAX encodes -2^64). */
int cbor_put_nint(struct cbor_enc *e, uint64_t n);
int cbor_put_int(struct cbor_enc *e, int64_t v);
int cbor_put_bstr(struct cbor_enc *e, const void *p, size_t n);
/* Text must be UTF-8; it is copied as is. */
int cbor_put_tstr(struct cbor_enc *e, const char *s, size_t n);
int cbor_put_text(struct cbor_enc *e, const char *s);
/*
 * Only the head of a byte string of n bytes: the caller supplies the n bytes
 * by other means (e.g. it hashes the head and then the payload in place, as
 * for a COSE Sig_structure). Counts as one item.
 */
int cbor_put_bstr_head(struct cbor_enc *e, uint64_t n);
/* Tags the next item; the tag and its item are one item of the enclosing container. */
int cbor_put_tag(struct cbor_enc *e, uint64_t tag);

int cbor_open_array(struct cbor_enc *e, uint64_t n);
int cbor_open_map(struct cbor_enc *e, uint64_t npairs);
/* Closes the innermost array or map; CBOR_ERR_COUNT unless it got exactly its items. */
int cbor_close(struct cbor_enc *e);

/* A byte string holding any number of complete items encoded between begin and end. */
int cbor_wrap_begin(struct cbor_enc *e);
int cbor_wrap_end(struct cbor_enc *e);

/* CBOR_OK and the encoded length if every container is closed and nothing failed. */
int cbor_finish(const struct cbor_enc *e, size_t *len);
#endif
