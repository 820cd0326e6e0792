/* SPDX-License-Identifier: MIT */
/* Intrusive doubly linked lists with a sentinel head. */
#ifndef ORRERY_LIST_H
#define ORRERY_LIST_H

#include <orrery/types.h>

struct list_head {
    struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *h)
{
    h->next = h;
    h->prev = h;
}

static inline void list_insert_between(struct list_head *n,
                                       struct list_head *prev,
                                       struct list_head *next)
{
    next->prev = n;
    n->next = next;
    n->prev = prev;
    prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
    list_insert_between(n, head, head->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
    list_insert_between(n, head->prev, head);
}

static inline void list_del(struct list_head *e)
{
    e->next->prev = e->prev;
    e->prev->next = e->next;
    e->next = e->prev = NULL;
}

static inline bool list_empty(const struct list_head *h)
{
    return h->next == h;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) \
    list_entry((head)->next, type, member)
#define list_for_each(pos, head) \
    for ( (pos) = (head)->next; (pos) != (head); (pos) = (pos)->next )
#define list_for_each_safe(pos, n, head) \
    for ( (pos) = (head)->next, (n) = (pos)->next; (pos) != (head); \
          (pos) = (n), (n) = (pos)->next )

#endif /* ORRERY_LIST_H */
