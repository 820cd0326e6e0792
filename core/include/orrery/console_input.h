/* SPDX-License-Identifier: MIT */
/*
 * Serial input focus, Xen's scheme: every byte from the console goes
 * either to the hypervisor (a debug key) or to one domain's console.
 * Typing the switch character (Ctrl-a by default; `conswitch=`) three
 * times in a row moves the focus on: hypervisor -> each live domain that
 * takes console input, in id order -> hypervisor; each switch prints
 *     *** Serial input to DOM1 (name) (type 'CTRL-a' three times to switch input)
 * One or two switch characters followed by another byte are not lost:
 * they are passed on to the focus before that byte, as Xen does.
 *
 * Bytes arrive through console_rx_char() (orrery/platform.h) and reach
 * console_input_byte() from KEYPRESS_SOFTIRQ, never from the interrupt.
 *
 * core/console knows no domains: the domains' side (core/domain's console
 * rings) registers a backend that lists the domains taking input and puts
 * a byte into one's ring.
 */
#ifndef ORRERY_CONSOLE_INPUT_H
#define ORRERY_CONSOLE_INPUT_H

#include <orrery/types.h>

#include <public/xen.h>

/* The focus value that means the hypervisor (Xen's console owner). */
#define CONSOLE_INPUT_HYPERVISOR ((domid_t)DOMID_XEN)

struct console_input_backend {
    /*
     * The lowest domain id >= @from whose domain takes input now, its name
     * copied into @name (NUL-terminated, @len bytes); DOMID_INVALID when
     * there is none.
     */
    domid_t (*next)(domid_t from, char *name, size_t len);
    /*
     * Give @c to domain @id and notify it: 0; -ENOSPC when its input
     * buffer is full (the byte is dropped); -ESRCH when the domain is gone
     * or no longer takes input.
     */
    int (*put)(domid_t id, char c);
};

/* Register the domains' side (NULL: none; then only the hypervisor takes
 * input). */
void console_input_set_backend(const struct console_input_backend *b);

/* One byte from the console, in KEYPRESS_SOFTIRQ. */
void console_input_byte(unsigned char c);

/* End of boot (Xen's console_endboot): the focus moves to the first
 * domain, unless `conswitch=` ends in 'x'. Prints where input goes. */
void console_input_endboot(void);

/* Domain @id is going away: if it has the focus, the hypervisor gets it. */
void console_input_domain_gone(domid_t id);

/* Who has the focus now (CONSOLE_INPUT_HYPERVISOR or a domain id). */
domid_t console_input_focus(void);

/* Set the switch character and the boot behaviour as `conswitch=` does:
 * "<letter>[x]". -EINVAL (and nothing changed) for anything else. */
int console_input_set_conswitch(const char *value);

/* Tests: focus to the hypervisor, no pending switch characters, the
 * default switch character, no backend. */
void console_input_reset(void);

#endif /* ORRERY_CONSOLE_INPUT_H */
