#!/usr/bin/env python3
"""Write fuzz-schedop's seed corpus (see schedop_fuzz.c for the format):
one input per scenario worth starting from, plus a few random ones."""
import os
import random

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
ARG = 0x2000


def le(v, n):
    return list(v.to_bytes(n, 'little'))


def call(who, fam, sub, struct, args=(0, 0, 0, 0)):
    """op 0 (a call), caller, family (0 sched_op, 1 vcpu_op,
    2 set_timer_op, 3 hvm_op), subop, 24 struct bytes, 4 selectors."""
    s = list(struct) + [0] * (24 - len(struct))
    out = [0, who, fam, sub] + s
    for a in args:
        out += a if isinstance(a, list) else [a]
    return out


def main():
    random.seed(7)
    seeds = {
        # SCHEDOP_block, an event (IPI port), time.
        'block-wake': [0] + call(1, 0, 1, []) + [6, 0x81, 5, 50],
        # SCHEDOP_poll on ports at ARG+16 with a 5 ms timeout.
        'poll': [0] + call(1, 0, 3, le(ARG + 16, 8) + le(1, 4) + [0] * 4 +
                           le(5000000, 8)) + [5, 80, 6, 0x89],
        # VCPUOP_set_singleshot_timer 3 ms ahead, on vCPU 0.
        'singleshot': [0] + call(1, 1, 8, le(3000000, 8),
                                 ([2, 0], [0], [0], [0])) + [5, 40],
        # VCPUOP_set_periodic_timer 1 ms.
        'periodic': [5] + call(1, 1, 6, le(1000000, 8),
                               ([2, 1], [0], [0], [0])) + [5, 100, 5, 100],
        # HVMOP_set_param from d0 and from u1.
        'hvm-param': [0] + call(0, 3, 0, le(1, 2) + [0, 0] + le(1, 4) +
                                le(0x1234, 8)) +
                     call(1, 3, 1, le(1, 2) + [0, 0] + le(1, 4)),
        # VCPUOP_register_vcpu_info at gfn 5 offset 64, then an event.
        'vcpu-info': [0] + call(1, 1, 10, le(5, 8) + le(64, 4),
                                ([2, 0], [0], [0], [0])) +
                     [6, 0x81, 7, 3, 1],
        # From outside: pause, unpause, shutdown, destroy.
        'pause-shutdown': [0, 7, 0, 0, 5, 30, 7, 1, 0, 7, 2, 1, 5, 10, 7,
                           3, 2],
    }
    for k in range(4):
        seeds['random%d' % k] = [random.randrange(256) for _ in range(200)]
    os.makedirs(HERE, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(HERE, name), 'wb') as f:
            f.write(bytes(data))


if __name__ == '__main__':
    main()
