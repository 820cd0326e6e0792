/* SPDX-License-Identifier: MIT */
/*
 * A small read-only reader for flattened device trees (DTB, "FDT"), as the
 * boot firmware or QEMU hands one to an Arm64 kernel in x0.
 *
 * The format is the Devicetree Specification v0.4 chapter 5: a 40-byte
 * header of big-endian 32-bit fields, a memory reservation block, a
 * structure block of 32-bit tokens, and a strings block holding property
 * names. Everything here is read with byte loads, so the blob may sit at
 * any address and the host's endianness does not matter.
 *
 * Use: call dt_check() once on a blob from an untrusted source. It checks
 * the header and walks the whole structure block; only after it returns 0
 * may the other functions be called on that blob. They still bound every
 * read by the blocks the header describes.
 *
 * Offsets: a node or a property is named by the offset of its token from
 * the start of the structure block, the convention libfdt uses, so that
 * the unit test can compare the two readers offset by offset. The names
 * here start with dt_ so that both can live in one program.
 *
 * Errors are negative errno values: -ENOENT (no such node, property or
 * entry), -EINVAL (a bad offset or argument), -EBADMSG (a property of the
 * wrong size or shape), -EOVERFLOW (a number that does not fit in 64
 * bits), -EOPNOTSUPP (a layout this reader does not handle), -ENOSPC (the
 * memory map is full). dt_strerror() gives a reason to print.
 */
#ifndef ORRERY_DT_H
#define ORRERY_DT_H

#include <orrery/types.h>

struct memmap;

#define DT_MAGIC       0xd00dfeedU
/* Versions this reader understands (spec §5.2: 17 is current, 16 lacks
 * size_dt_struct). */
#define DT_MIN_VERSION 16
#define DT_MAX_VERSION 17
/* Deepest node nesting dt_check() accepts (the root is depth 1). Real
 * trees are 3 or 4 deep; the limit keeps dt_parent()'s stack bounded. */
#define DT_MAX_DEPTH   32
/* Most cells in #address-cells or #size-cells (libfdt's limit too). */
#define DT_MAX_NCELLS  4

/*
 * Validate the blob at @blob, of which @avail bytes are readable. Returns
 * 0, or a negative errno with *@why (if not NULL) set to a static string
 * that says what is wrong. Never reads beyond @avail bytes.
 */
int dt_check(const void *blob, size_t avail, const char **why);

/* Header fields of a checked blob. */
uint32_t dt_totalsize(const void *blob);
uint32_t dt_boot_cpuid(const void *blob);

/* A static string for a negative errno returned by this reader. */
const char *dt_strerror(int err);

/* --- Nodes ------------------------------------------------------------- */

/* Offset of the root node. */
int dt_root(const void *blob);
/* The first child of @node, or -ENOENT if it has none. */
int dt_first_child(const void *blob, int node);
/* The next node after @node with the same parent, or -ENOENT. */
int dt_next_sibling(const void *blob, int node);
/* The parent of @node (-ENOENT for the root). Walks from the root. */
int dt_parent(const void *blob, int node);
/*
 * The node after @node in document order (depth first). Pass node < 0 to
 * get the root. If @depth is not NULL, it goes up by one for every node
 * entered and down by one for every node left on the way; should it drop
 * below 0 the walk has left the subtree it started in, and -ENOENT is
 * returned (libfdt's fdt_next_node() rule, which makes "all descendants of
 * N" a loop from depth 0). -ENOENT after the last node.
 */
int dt_next_node(const void *blob, int node, int *depth);

/* The name of @node ("" for the root, "cpu@0", ...); *@len (if not NULL)
 * gets its length. NULL if @node is not a node. */
const char *dt_node_name(const void *blob, int node, int *len);

/*
 * The node at @path: "/" or "/cpus/cpu@0". A component without a unit
 * address ("memory") also matches a node that has one ("memory@40000000"),
 * the first such in document order. Aliases are not supported: the path
 * must start with '/'.
 */
int dt_path_offset(const void *blob, const char *path);
/* Child of @parent named @name, with the same unit-address rule. */
int dt_subnode(const void *blob, int parent, const char *name);

/* 1 if @node's "compatible" string list contains @compat, 0 if not (or it
 * has none), negative on error. */
int dt_node_is_compatible(const void *blob, int node, const char *compat);
/* The first node after @from in document order (from < 0: from the start)
 * that is compatible with @compat, or -ENOENT. */
int dt_find_compatible(const void *blob, int from, const char *compat);
/* Likewise for a node whose "device_type" is @type ("cpu", "memory"). */
int dt_find_device_type(const void *blob, int from, const char *type);
/* False when @node has a "status" other than "okay" (or "ok"). */
bool dt_node_available(const void *blob, int node);

/* The node whose "phandle" (or old "linux,phandle") is @phandle. */
int dt_node_by_phandle(const void *blob, uint32_t phandle);

/* --- Properties -------------------------------------------------------- */

/* Offset of @node's first property / the next one, or -ENOENT. */
int dt_first_prop(const void *blob, int node);
int dt_next_prop(const void *blob, int prop);
/* The value of the property at offset @prop; its name and length go to
 * *@name and *@len when those are not NULL. NULL if @prop is not one. */
const void *dt_prop_value(const void *blob, int prop, const char **name,
                          int *len);

/* @node's property @name: its value, with its length in *@len; NULL with
 * a negative errno in *@len (if not NULL) when it is absent. */
const void *dt_getprop(const void *blob, int node, const char *name, int *len);
/* The property as a string: 0 and *@out, or -ENOENT, or -EBADMSG when it
 * is not NUL-terminated within its length. */
int dt_getprop_string(const void *blob, int node, const char *name,
                      const char **out);
/* A property of one cell: 0 and *@out, or -ENOENT, or -EBADMSG. */
int dt_getprop_u32(const void *blob, int node, const char *name, uint32_t *out);

/* The number held in @ncells big-endian cells at @cells (0..4 cells);
 * -EOVERFLOW if it needs more than 64 bits. No alignment needed. */
int dt_read_cells(const void *cells, unsigned int ncells, uint64_t *out);

/*
 * #address-cells and #size-cells of @node: how many cells its CHILDREN's
 * "reg" entries use (spec §2.3.5). The spec's defaults 2 and 1 apply when
 * the property is absent; a value above DT_MAX_NCELLS gives -EOPNOTSUPP.
 */
int dt_addr_cells(const void *blob, int node);
int dt_size_cells(const void *blob, int node);

/* Entry @index of @node's "reg", decoded with its parent's cell counts.
 * -ENOENT past the last entry. @size may be NULL (#size-cells 0). */
int dt_reg(const void *blob, int node, unsigned int index, uint64_t *addr,
           uint64_t *size);

/*
 * Entry @index of @node's "interrupts", for an interrupt parent (found
 * through "interrupt-parent", inherited from the ancestors) with
 * #interrupt-cells = 3: the Arm GIC binding's <type number flags>, type 0
 * for an SPI and 1 for a PPI, flags the trigger (1 edge, 4 level).
 * -EOPNOTSUPP for any other #interrupt-cells.
 */
int dt_interrupt(const void *blob, int node, unsigned int index, uint32_t *type,
                 uint32_t *num, uint32_t *flags);

/* GIC interrupt ID of a 3-cell specifier: SPIs start at 32, PPIs at 16
 * (GIC architecture spec, IHI 0069 §2.2). */
static inline uint32_t dt_gic_intid(uint32_t type, uint32_t num)
{
    return num + (type == 1 ? 16 : 32);
}

/* --- Memory ------------------------------------------------------------ */

/* Entry @index of the memory reservation block (spec §5.3); -ENOENT past
 * the last. */
int dt_memrsv(const void *blob, unsigned int index, uint64_t *addr,
              uint64_t *size);

/*
 * Append to @map every "reg" range of the available children of the root
 * whose device_type is "memory", as MEMMAP_RAM, and every memory
 * reservation as MEMMAP_RESERVED. Returns the number of RAM ranges added
 * (-ENOENT when there is none), or -ENOSPC when @map fills up. The caller
 * sanitises the map as for any other boot loader's.
 */
int dt_memory_map(const void *blob, struct memmap *map);

#endif /* ORRERY_DT_H */
