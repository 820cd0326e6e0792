/* SPDX-License-Identifier: MIT */
/* Between the files of core/p2m. */
#ifndef P2M_PRIVATE_H
#define P2M_PRIVATE_H

#include <orrery/p2m.h>

/* p2m_set_range(), but with @drop_ram it may replace RAM entries without
 * freeing them: only for callers that free the frames themselves. */
int p2m_set_range_raw(struct domain *d, gfn_t gfn, mfn_t mfn, uint64_t nr,
                      p2m_type_t type, p2m_access_t access, uint64_t *done,
                      bool drop_ram);

#endif
