/* SPDX-License-Identifier: MIT */
/*
 * Serial input focus (orrery/console_input.h), with Xen's observable
 * behaviour (its serial_rx() and the `conswitch` option of
 * xen-command-line):
 * - the switch character is eaten in groups of three; the third moves the
 *   focus and prints "*** Serial input to ..." with the how-to-switch hint;
 * - a different byte after one or two switch characters first passes
 *   those on to the focus, then itself (nothing typed is lost);
 * - at the end of boot the focus moves to the first domain, unless
 *   `conswitch=` ends in 'x' ("ax": keep Ctrl-a, start in the hypervisor).
 * Xen names itself "Xen" in the message; Orrery says "Orrery", and adds a
 * domain's name after its id.
 *
 * All of this runs in KEYPRESS_SOFTIRQ. The lock only guards the state:
 * the backend and the key handlers are called without it (the backend
 * takes the console rings' lock, which calls back into
 * console_input_domain_gone()).
 */
#include <orrery/console.h>
#include <orrery/console_input.h>
#include <orrery/errno.h>
#include <orrery/keyhandler.h>
#include <orrery/param.h>
#include <orrery/spinlock.h>

#define SWITCH_PRESSES  3
#define NAME_LEN        32

static DEFINE_SPINLOCK(input_lock);
static const struct console_input_backend *backend;
static domid_t focus = CONSOLE_INPUT_HYPERVISOR;
static unsigned int held;           /* switch characters seen in a row */
static bool full_warned;            /* the focus's ring was full */

/* conswitch=<letter>[x]: Ctrl-<letter> switches; 'x': stay at boot. */
static char switch_letter = 'a';
static bool boot_in_hypervisor;

static unsigned char switch_code(void)
{
    return (unsigned char)(switch_letter - 'a' + 1);
}

static void announce(domid_t id, const char *name)
{
    if ( id == CONSOLE_INPUT_HYPERVISOR )
        printk("*** Serial input to Orrery (type 'CTRL-%c' three times "
               "to switch input)\n", switch_letter);
    else
        printk("*** Serial input to DOM%u (%s) (type 'CTRL-%c' three "
               "times to switch input)\n", id, name, switch_letter);
}

static domid_t get_focus(void)
{
    domid_t f;

    spin_lock(&input_lock);
    f = focus;
    spin_unlock(&input_lock);
    return f;
}

/* The next target after the focus: domains in id order, then back to
 * the hypervisor (Xen's rotation, skipping domains that take no input). */
static void switch_focus(void)
{
    const struct console_input_backend *b;
    domid_t cur, next = DOMID_INVALID;
    char name[NAME_LEN] = "";

    spin_lock(&input_lock);
    cur = focus;
    b = backend;
    spin_unlock(&input_lock);

    if ( b && cur == CONSOLE_INPUT_HYPERVISOR )
        next = b->next(0, name, sizeof(name));
    else if ( b && cur + 1U < DOMID_FIRST_RESERVED )
        next = b->next((domid_t)(cur + 1), name, sizeof(name));
    if ( next == DOMID_INVALID )
        next = CONSOLE_INPUT_HYPERVISOR;

    spin_lock(&input_lock);
    focus = next;
    full_warned = false;
    spin_unlock(&input_lock);
    announce(next, name);
}

void console_input_domain_gone(domid_t id)
{
    bool lost;

    spin_lock(&input_lock);
    lost = focus == id && id != CONSOLE_INPUT_HYPERVISOR;
    if ( lost )
        focus = CONSOLE_INPUT_HYPERVISOR;
    spin_unlock(&input_lock);
    if ( lost )
    {
        printk("*** DOM%u is gone\n", id);
        announce(CONSOLE_INPUT_HYPERVISOR, NULL);
    }
}

/*
 * One byte to the focus. A full ring drops it with one warning per
 * episode (Xen's serial_rx_ring and vpl011 drop too: the typist is a
 * person, who sees the echo missing). A byte for a domain that is gone is
 * dropped as well, never turned into a debug key: "R" meant for a guest
 * must not reboot the machine.
 */
static void deliver(unsigned char c)
{
    domid_t to = get_focus();
    const struct console_input_backend *b;
    bool warn;
    int rc;

    if ( to == CONSOLE_INPUT_HYPERVISOR )
    {
        handle_keypress(c);
        return;
    }
    spin_lock(&input_lock);
    b = backend;
    spin_unlock(&input_lock);
    rc = b ? b->put(to, (char)c) : -ESRCH;
    if ( rc == -ESRCH )
    {
        console_input_domain_gone(to);
        return;
    }
    spin_lock(&input_lock);
    warn = rc && !full_warned;
    full_warned = rc != 0;
    spin_unlock(&input_lock);
    if ( warn )
        printk(LOG_WARNING "*** DOM%u's console input is full: "
               "dropping input until it reads\n", to);
}

void console_input_byte(unsigned char c)
{
    unsigned char code = switch_code();
    unsigned int n;

    if ( c == code )
    {
        spin_lock(&input_lock);
        n = ++held;
        if ( n == SWITCH_PRESSES )
            held = 0;
        spin_unlock(&input_lock);
        if ( n == SWITCH_PRESSES )
            switch_focus();
        return;
    }
    spin_lock(&input_lock);
    n = held;
    held = 0;
    spin_unlock(&input_lock);
    while ( n-- )
        deliver(code);
    deliver(c);
}

void console_input_endboot(void)
{
    if ( boot_in_hypervisor )
        announce(CONSOLE_INPUT_HYPERVISOR, NULL);
    else
        switch_focus();
}

domid_t console_input_focus(void)
{
    return get_focus();
}

void console_input_set_backend(const struct console_input_backend *b)
{
    spin_lock(&input_lock);
    backend = b;
    spin_unlock(&input_lock);
}

int console_input_set_conswitch(const char *value)
{
    if ( value[0] < 'a' || value[0] > 'z' ||
         (value[1] && value[2]) )
        return -EINVAL;
    spin_lock(&input_lock);
    switch_letter = value[0];
    boot_in_hypervisor = value[1] == 'x';
    held = 0;
    spin_unlock(&input_lock);
    return 0;
}
custom_param("conswitch", console_input_set_conswitch);

void console_input_reset(void)
{
    spin_lock(&input_lock);
    backend = NULL;
    focus = CONSOLE_INPUT_HYPERVISOR;
    held = 0;
    full_warned = false;
    switch_letter = 'a';
    boot_in_hypervisor = false;
    spin_unlock(&input_lock);
}
