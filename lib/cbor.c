/* CBOR encoder, see lib/include/lib/cbor.h for the contract. */
#include <lib/cbor.h>
#include <lib/string.h>

enum {
	MAJOR_UINT = 0,
	MAJOR_NINT = 1,
	MAJOR_BSTR = 2,
	MAJOR_TSTR = 3,
	MAJOR_ARRAY = 4,
	MAJOR_MAP = 5,
	MAJOR_TAG = 6
};

void cbor_init(struct cbor_enc *e, void *buf, size_t size)
{
	memset(e, 0, sizeof(*e));
	e->buf = buf;
	e->size = buf ? size : 0;
}

static int fail(struct cbor_enc *e, int err)
{
	if (!e->err)
		e->err = err;
	return e->err;
}

static size_t head_size(uint64_t v)
{
	if (v < 24)
		return 1;
	if (v <= 0xff)
		return 2;
	if (v <= 0xffff)
		return 3;
	if (v <= 0xffffffffU)
		return 5;
	return 9;
}

/* Writes the head at p (room already checked); returns its size. */
static size_t write_head(uint8_t *p, unsigned int major, uint64_t v)
{
	size_t n = head_size(v);
	static const uint8_t info[10] = { 0, 0, 24, 25, 0, 26, 0, 0, 0, 27 };

	if (n == 1) {
		p[0] = (uint8_t)(major << 5 | v);
		return 1;
	}
	p[0] = (uint8_t)(major << 5 | info[n]);
	for (size_t i = n - 1; i >= 1; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
	return n;
}

/*
 * Admits one item of `need` bytes at the current position: the enclosing
 * array or map must still expect an item and the bytes must fit. Nothing is
 * changed unless both hold, so a failed put leaves the output as it was.
 */
static int begin_item(struct cbor_enc *e, size_t need)
{
	struct cbor_frame *f = e->depth ? &e->frame[e->depth - 1] : NULL;

	if (e->err)
		return e->err;
	if (!e->tag_pending && f && f->kind != CBOR_FRAME_WRAP && f->left == 0)
		return fail(e, CBOR_ERR_COUNT);
	if (need > e->size - e->len)
		return fail(e, CBOR_ERR_OVERFLOW);
	/* A tag already took the slot in its container for the item it tags. */
	if (e->tag_pending)
		e->tag_pending = 0;
	else if (f && f->kind != CBOR_FRAME_WRAP)
		f->left--;
	return CBOR_OK;
}

static int put_head(struct cbor_enc *e, unsigned int major, uint64_t v)
{
	int rc = begin_item(e, head_size(v));

	if (rc)
		return rc;
	e->len += write_head(e->buf + e->len, major, v);
	return CBOR_OK;
}

static int put_string(struct cbor_enc *e, unsigned int major, const void *p, size_t n)
{
	size_t h = head_size(n);
	/* Saturated, so that a huge n cannot wrap around into a small need. */
	size_t need = n > SIZE_MAX - h ? SIZE_MAX : h + n;
	int rc;

	if (!p && n)
		return fail(e, CBOR_ERR_ARG);
	rc = begin_item(e, need);
	if (rc)
		return rc;
	e->len += write_head(e->buf + e->len, major, n);
	if (n)
		memcpy(e->buf + e->len, p, n);
	e->len += n;
	return CBOR_OK;
}

int cbor_put_uint(struct cbor_enc *e, uint64_t v)
{
	return put_head(e, MAJOR_UINT, v);
}

int cbor_put_nint(struct cbor_enc *e, uint64_t n)
{
	return put_head(e, MAJOR_NINT, n);
}

int cbor_put_int(struct cbor_enc *e, int64_t v)
{
	if (v >= 0)
		return put_head(e, MAJOR_UINT, (uint64_t)v);
	/* -1 - v without overflow, also for INT64_MIN. */
	return put_head(e, MAJOR_NINT, (uint64_t)(-(v + 1)));
}

int cbor_put_bstr(struct cbor_enc *e, const void *p, size_t n)
{
	return put_string(e, MAJOR_BSTR, p, n);
}

int cbor_put_tstr(struct cbor_enc *e, const char *s, size_t n)
{
	return put_string(e, MAJOR_TSTR, s, n);
}

int cbor_put_text(struct cbor_enc *e, const char *s)
{
	if (!s)
		return fail(e, CBOR_ERR_ARG);
	return put_string(e, MAJOR_TSTR, s, strlen(s));
}

int cbor_put_bstr_head(struct cbor_enc *e, uint64_t n)
{
	return put_head(e, MAJOR_BSTR, n);
}

int cbor_put_tag(struct cbor_enc *e, uint64_t tag)
{
	int rc = put_head(e, MAJOR_TAG, tag);

	if (rc)
		return rc;
	e->tag_pending = 1;
	return CBOR_OK;
}

static int open_container(struct cbor_enc *e, unsigned int major, uint64_t n, uint64_t items)
{
	int rc;

	if (e->err)
		return e->err;
	if (e->depth == CBOR_MAX_DEPTH)
		return fail(e, CBOR_ERR_DEPTH);
	rc = put_head(e, major, n);
	if (rc)
		return rc;
	e->frame[e->depth++] = (struct cbor_frame){
		.left = items,
		.kind = major == MAJOR_MAP ? CBOR_FRAME_MAP : CBOR_FRAME_ARRAY,
	};
	return CBOR_OK;
}

int cbor_open_array(struct cbor_enc *e, uint64_t n)
{
	return open_container(e, MAJOR_ARRAY, n, n);
}

int cbor_open_map(struct cbor_enc *e, uint64_t npairs)
{
	if (npairs > UINT64_MAX / 2)
		return fail(e, CBOR_ERR_ARG);
	return open_container(e, MAJOR_MAP, npairs, 2 * npairs);
}

/* The innermost frame if it is of the given kind and no tag waits for its item. */
static struct cbor_frame *closable(struct cbor_enc *e, int wrap)
{
	struct cbor_frame *f;

	if (!e->depth || e->tag_pending)
		return NULL;
	f = &e->frame[e->depth - 1];
	if ((f->kind == CBOR_FRAME_WRAP) != wrap)
		return NULL;
	return f;
}

int cbor_close(struct cbor_enc *e)
{
	struct cbor_frame *f;

	if (e->err)
		return e->err;
	f = closable(e, 0);
	if (!f)
		return fail(e, CBOR_ERR_STATE);
	if (f->left)
		return fail(e, CBOR_ERR_COUNT);
	e->depth--;
	return CBOR_OK;
}

int cbor_wrap_begin(struct cbor_enc *e)
{
	int rc;

	if (e->err)
		return e->err;
	if (e->depth == CBOR_MAX_DEPTH)
		return fail(e, CBOR_ERR_DEPTH);
	/* The head is written at the end; claim the slot now, with no bytes. */
	rc = begin_item(e, 0);
	if (rc)
		return rc;
	e->frame[e->depth++] = (struct cbor_frame){ .start = e->len, .kind = CBOR_FRAME_WRAP };
	return CBOR_OK;
}

int cbor_wrap_end(struct cbor_enc *e)
{
	struct cbor_frame *f;
	size_t n, h;

	if (e->err)
		return e->err;
	f = closable(e, 1);
	if (!f)
		return fail(e, CBOR_ERR_STATE);
	n = e->len - f->start;
	h = head_size(n);
	if (h > e->size - e->len)
		return fail(e, CBOR_ERR_OVERFLOW);
	memmove(e->buf + f->start + h, e->buf + f->start, n);
	write_head(e->buf + f->start, MAJOR_BSTR, n);
	e->len += h;
	e->depth--;
	return CBOR_OK;
}

int cbor_finish(const struct cbor_enc *e, size_t *len)
{
	if (e->err)
		return e->err;
	if (e->depth || e->tag_pending)
		return CBOR_ERR_STATE;
	if (len)
		*len = e->len;
	return CBOR_OK;
}
