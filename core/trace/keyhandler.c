/* SPDX-License-Identifier: MIT */
/*
 * Debug keys. The console's receive interrupt queues bytes here; the
 * handlers run from KEYPRESS_SOFTIRQ with interrupts enabled, so they may
 * take locks and make cross-CPU calls.
 */
#include <orrery/console.h>
#include <orrery/console_input.h>
#include <orrery/keyhandler.h>
#include <orrery/softirq.h>
#include <orrery/spinlock.h>

#include "keys_private.h"

struct keyhandler {
    keyhandler_fn *fn;
    const char *desc;
};

static struct keyhandler handlers[128];

/* Room for a line typed or pasted into a domain's console (the queue
 * feeds console input, not only debug keys). */
#define KEYQ_SIZE 256
static DEFINE_SPINLOCK(keyq_lock);
static unsigned char keyq[KEYQ_SIZE];
static unsigned int keyq_prod, keyq_cons;

void register_keyhandler(unsigned char key, keyhandler_fn *fn,
                         const char *desc)
{
    BUG_ON(key >= ARRAY_SIZE(handlers));
    if ( handlers[key].fn )
        panic("keyhandler: key '%c' registered twice (%s, %s)", key,
              handlers[key].desc, desc);
    handlers[key] = (struct keyhandler){ .fn = fn, .desc = desc };
}

void handle_keypress(unsigned char key)
{
    if ( key < ARRAY_SIZE(handlers) && handlers[key].fn )
        handlers[key].fn(key);
    else if ( key >= ' ' && key < 0x7f )
        printk("'%c' pressed -> no handler ('h' lists the keys)\n", key);
}

/* Upcall from the platform's console receive interrupt. A full queue
 * drops the byte: console input is typed by a person, not streamed. */
void console_rx_char(char c)
{
    unsigned long flags;

    spin_lock_irqsave(&keyq_lock, flags);
    if ( keyq_prod - keyq_cons < KEYQ_SIZE )
        keyq[keyq_prod++ % KEYQ_SIZE] = (unsigned char)c;
    spin_unlock_irqrestore(&keyq_lock, flags);
    raise_softirq(KEYPRESS_SOFTIRQ);
}

static void keypress_softirq(void)
{
    for ( ;; )
    {
        unsigned long flags;
        unsigned char key;

        spin_lock_irqsave(&keyq_lock, flags);
        if ( keyq_cons == keyq_prod )
        {
            spin_unlock_irqrestore(&keyq_lock, flags);
            return;
        }
        key = keyq[keyq_cons++ % KEYQ_SIZE];
        spin_unlock_irqrestore(&keyq_lock, flags);
        console_input_byte(key);    /* the focus: keys or a domain */
    }
}

static void show_help(unsigned char key)
{
    (void)key;
    printk("Debug keys:\n");
    for ( unsigned int k = 0; k < ARRAY_SIZE(handlers); k++ )
        if ( handlers[k].fn )
            printk("  '%c' %s\n", k, handlers[k].desc);
}

void keyhandler_init(void)
{
    open_softirq(KEYPRESS_SOFTIRQ, keypress_softirq);
    register_keyhandler('h', show_help, "show this help");
    register_builtin_keys();
}
