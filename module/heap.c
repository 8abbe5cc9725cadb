// SPDX-License-Identifier: GPL-2.0
/*
 * The 4-ary min-heap of timers, ordered by ->when (Go: siftupTimer,
 * siftdownTimer).  A 4-ary heap is shallower than a binary one and touches
 * fewer cache lines on the way down.  Every function keeps slots[i]->idx == i
 * so that a timer can be removed by position.  No locking here: the caller
 * holds the owning base's lock.
 */
#include "internal.h"

#define HEAP_ARITY 4

static inline unsigned int heap_parent(unsigned int i)
{
	return (i - 1) / HEAP_ARITY;
}

static inline void heap_place(struct gotimer_heap *h, unsigned int i,
			      struct gotimer *t)
{
	h->slots[i] = t;
	t->idx = i;
}

/**
 * gotimer_heap_sift_up() - restore the order after slot @i's key decreased
 * @h: the heap
 * @i: the slot whose timer may be earlier than its parent
 */
void gotimer_heap_sift_up(struct gotimer_heap *h, unsigned int i)
{
	struct gotimer *t = h->slots[i];
	s64 when = t->when;

	while (i > 0) {
		unsigned int p = heap_parent(i);

		if (when >= h->slots[p]->when)
			break;
		heap_place(h, i, h->slots[p]);
		i = p;
	}
	heap_place(h, i, t);
}
EXPORT_SYMBOL_NS_GPL(gotimer_heap_sift_up, GOTIMER_INTERNAL);

/**
 * gotimer_heap_sift_down() - restore the order after slot @i's key increased
 * @h: the heap
 * @i: the slot whose timer may be later than its children
 */
void gotimer_heap_sift_down(struct gotimer_heap *h, unsigned int i)
{
	struct gotimer **slots = h->slots;
	struct gotimer *t = slots[i];
	unsigned int len = h->len;
	s64 when = t->when;

	/*
	 * The slots and the length in locals, and the smallest child's key
	 * kept rather than reloaded: nothing in the loop writes them but
	 * heap_place(), which the compiler cannot see through (a pop of a
	 * burst due at one instant stops at the first level, so this is
	 * most of its cost).
	 */
	for (;;) {
		unsigned int c = i * HEAP_ARITY + 1, end, j, min;
		s64 minwhen;

		if (c >= len)
			break;
		end = min_t(unsigned int, c + HEAP_ARITY, len);
		min = c;
		minwhen = slots[c]->when;
		for (j = c + 1; j < end; j++) {
			s64 w = slots[j]->when;

			if (w < minwhen) {
				min = j;
				minwhen = w;
			}
		}
		if (when <= minwhen)
			break;
		heap_place(h, i, slots[min]);
		i = min;
	}
	heap_place(h, i, t);
}
EXPORT_SYMBOL_NS_GPL(gotimer_heap_sift_down, GOTIMER_INTERNAL);

/**
 * gotimer_heap_push() - insert @t; the caller made sure a slot is free
 * @h: the heap
 * @t: the timer
 */
void gotimer_heap_push(struct gotimer_heap *h, struct gotimer *t)
{
	gotimer_heap_append(h, t);
	gotimer_heap_sift_up(h, h->len - 1);
}
EXPORT_SYMBOL_NS_GPL(gotimer_heap_push, GOTIMER_INTERNAL);

/**
 * gotimer_heap_append() - put @t in the next free slot without ordering it
 * @h: the heap
 * @t: the timer
 *
 * For bulk inserts followed by one gotimer_heap_heapify().
 */
void gotimer_heap_append(struct gotimer_heap *h, struct gotimer *t)
{
	heap_place(h, h->len, t);
	/* read without the lock by gotimer_base_has_room() */
	WRITE_ONCE(h->len, h->len + 1);
}
EXPORT_SYMBOL_NS_GPL(gotimer_heap_append, GOTIMER_INTERNAL);

/**
 * gotimer_heap_delete() - remove the timer in slot @i
 * @h: the heap
 * @i: a slot below h->len
 */
void gotimer_heap_delete(struct gotimer_heap *h, unsigned int i)
{
	unsigned int last = h->len - 1;

	if (i != last) {
		struct gotimer *moved = h->slots[last];
		s64 old = h->slots[i]->when;

		heap_place(h, i, moved);
		h->slots[last] = NULL;
		WRITE_ONCE(h->len, last);
		/*
		 * A key equal to the one removed keeps the order as it is
		 * (parent <= old == moved <= children): a pop of timers due
		 * at one instant costs no sift.
		 */
		if (moved->when < old)
			gotimer_heap_sift_up(h, i);
		else if (moved->when > old)
			gotimer_heap_sift_down(h, i);
		return;
	}
	h->slots[last] = NULL;
	WRITE_ONCE(h->len, last);
}
EXPORT_SYMBOL_NS_GPL(gotimer_heap_delete, GOTIMER_INTERNAL);

/**
 * gotimer_heap_remove_unordered() - remove slot @i, filling it from the end
 * @h: the heap
 * @i: a slot below h->len
 *
 * Leaves the heap unordered: for bulk passes that end in one
 * gotimer_heap_heapify().
 */
void gotimer_heap_remove_unordered(struct gotimer_heap *h, unsigned int i)
{
	unsigned int last = h->len - 1;

	if (i != last)
		heap_place(h, i, h->slots[last]);
	h->slots[last] = NULL;
	WRITE_ONCE(h->len, last);
}
EXPORT_SYMBOL_NS_GPL(gotimer_heap_remove_unordered, GOTIMER_INTERNAL);

/**
 * gotimer_heap_heapify() - order the whole heap in O(n)
 * @h: the heap, in any order
 */
void gotimer_heap_heapify(struct gotimer_heap *h)
{
	unsigned int i;

	if (h->len < 2)
		return;
	for (i = heap_parent(h->len - 1) + 1; i-- > 0;)
		gotimer_heap_sift_down(h, i);
}
EXPORT_SYMBOL_NS_GPL(gotimer_heap_heapify, GOTIMER_INTERNAL);

/**
 * gotimer_heap_verify() - check the heap invariant (Go: verifyTimerHeap)
 * @h: the heap
 *
 * Return: -1 if the heap is sound, else the first slot that breaks the order
 * or holds a timer whose ->idx is wrong.
 */
int gotimer_heap_verify(const struct gotimer_heap *h)
{
	unsigned int i;

	for (i = 0; i < h->len; i++) {
		if (!h->slots[i] || h->slots[i]->idx != i)
			return i;
		if (i > 0 && h->slots[i]->when < h->slots[heap_parent(i)]->when)
			return i;
	}
	return -1;
}
EXPORT_SYMBOL_NS_GPL(gotimer_heap_verify, GOTIMER_INTERNAL);
