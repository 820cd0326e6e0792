/* SPDX-License-Identifier: MIT */
/*
 * The ELF reader (orrery/elf.h). Headers are read with explicit offsets
 * and little-endian loads, never by casting the file to a struct, so a
 * truncated or misaligned image cannot make us read past its end.
 *
 * Layouts (System V gABI): the ELF-64 header is 64 bytes with e_phoff at
 * 32, e_phentsize at 54, e_phnum at 56; an ELF-64 program header is 56
 * bytes (type 0, offset 8, paddr 24, filesz 32, memsz 40). ELF-32: header
 * 52 bytes (e_phoff 28, e_phentsize 42, e_phnum 44), program header 32
 * bytes (type 0, offset 4, paddr 12, filesz 16, memsz 20). A note is
 * namesz, descsz, type (4 bytes each), then name and desc, each padded
 * to 4 bytes.
 */
#include <orrery/elf.h>
#include <orrery/errno.h>
#include <orrery/lib.h>

#define PT_LOAD 1
#define PT_NOTE 4
#define ET_EXEC 2
#define EV_CURRENT 1

static uint64_t get(const uint8_t *p, unsigned int bytes)
{
    uint64_t v = 0;

    for ( unsigned int i = bytes; i-- > 0; )
        v = (v << 8) | p[i];
    return v;
}

/* Does [off, off + len) lie inside the file? */
static bool in_file(const struct elf_image *img, uint64_t off, uint64_t len)
{
    return off <= img->size && len <= img->size - off;
}

static int bad(const char **why, const char *msg)
{
    *why = msg;
    return -EINVAL;
}

static int read_notes(struct elf_image *img, uint64_t off, uint64_t len,
                      const char **why)
{
    const uint8_t *p = img->data + off;

    while ( len >= 12 )
    {
        uint64_t namesz = get(p, 4), descsz = get(p + 4, 4);
        uint32_t type = (uint32_t)get(p + 8, 4);
        uint64_t name_pad = (namesz + 3) & ~3ULL;
        uint64_t desc_pad = (descsz + 3) & ~3ULL;

        if ( name_pad > len - 12 || desc_pad > len - 12 - name_pad )
            return bad(why, "an ELF note runs past its segment");
        if ( namesz == 4 && memcmp(p + 12, "Xen", 4) == 0 &&
             type == XEN_ELFNOTE_PHYS32_ENTRY )
        {
            if ( descsz != 4 && descsz != 8 )
                return bad(why, "the PHYS32_ENTRY note is not 4 or 8 bytes");
            img->has_phys32_entry = true;
            img->phys32_entry = (uint32_t)get(p + 12 + name_pad, 4);
        }
        p += 12 + name_pad + desc_pad;
        len -= 12 + name_pad + desc_pad;
    }
    return 0;
}

static int read_phdr(struct elf_image *img, const uint8_t *ph,
                     const char **why)
{
    uint32_t type = (uint32_t)get(ph, 4);
    uint64_t offset, paddr, filesz, memsz;
    struct elf_segment *s;

    if ( img->is64 )
    {
        offset = get(ph + 8, 8);
        paddr = get(ph + 24, 8);
        filesz = get(ph + 32, 8);
        memsz = get(ph + 40, 8);
    }
    else
    {
        offset = get(ph + 4, 4);
        paddr = get(ph + 12, 4);
        filesz = get(ph + 16, 4);
        memsz = get(ph + 20, 4);
    }

    if ( type == PT_NOTE )
    {
        if ( !in_file(img, offset, filesz) )
            return bad(why, "a note segment lies outside the file");
        return read_notes(img, offset, filesz, why);
    }
    if ( type != PT_LOAD || memsz == 0 )
        return 0;
    if ( filesz > memsz )
        return bad(why, "a segment has more file bytes than memory bytes");
    if ( !in_file(img, offset, filesz) )
        return bad(why, "a segment lies outside the file");
    if ( paddr + memsz < paddr )
        return bad(why, "a segment wraps around the address space");
    if ( img->nr_segments == ELF_MAX_SEGMENTS )
        return bad(why, "too many loadable segments");

    s = &img->seg[img->nr_segments++];
    *s = (struct elf_segment){ .paddr = paddr, .offset = offset,
                               .filesz = filesz, .memsz = memsz };
    if ( img->nr_segments == 1 || paddr < img->lowest )
        img->lowest = paddr;
    if ( img->nr_segments == 1 || paddr + memsz > img->highest )
        img->highest = paddr + memsz;
    return 0;
}

int elf_parse(const void *data, size_t size, struct elf_image *img,
              const char **why)
{
    const uint8_t *d = data;
    uint64_t phoff, phentsize, phnum, ehsize;
    int rc;

    memset(img, 0, sizeof(*img));
    img->data = d;
    img->size = size;
    if ( size < 52 || memcmp(d, "\x7f" "ELF", 4) != 0 )
        return bad(why, "not an ELF file");
    if ( d[4] != 1 && d[4] != 2 )
        return bad(why, "unknown ELF class");
    img->is64 = d[4] == 2;
    if ( d[5] != 1 )
        return bad(why, "not a little-endian ELF file");
    ehsize = img->is64 ? 64 : 52;
    if ( size < ehsize )
        return bad(why, "the ELF header is truncated");
    if ( get(d + 16, 2) != ET_EXEC )
        return bad(why, "not an executable (ET_EXEC) ELF file");
    img->machine = (uint16_t)get(d + 18, 2);
    if ( get(d + 20, 4) != EV_CURRENT )
        return bad(why, "unknown ELF version");

    if ( img->is64 )
    {
        img->entry = get(d + 24, 8);
        phoff = get(d + 32, 8);
        phentsize = get(d + 54, 2);
        phnum = get(d + 56, 2);
    }
    else
    {
        img->entry = get(d + 24, 4);
        phoff = get(d + 28, 4);
        phentsize = get(d + 42, 2);
        phnum = get(d + 44, 2);
    }
    if ( phentsize < (img->is64 ? 56U : 32U) )
        return bad(why, "program headers are too small");
    if ( phnum == 0 || phnum > 64 || !in_file(img, phoff, phnum * phentsize) )
        return bad(why, "the program headers lie outside the file");

    for ( uint64_t i = 0; i < phnum; i++ )
    {
        rc = read_phdr(img, d + phoff + i * phentsize, why);
        if ( rc )
            return rc;
    }
    if ( !img->nr_segments )
        return bad(why, "no loadable segment");
    return 0;
}

int elf_load(const struct elf_image *img,
             int (*copy)(void *ctx, uint64_t paddr, const void *src,
                         size_t n),
             int (*zero)(void *ctx, uint64_t paddr, size_t n), void *ctx)
{
    for ( unsigned int i = 0; i < img->nr_segments; i++ )
    {
        const struct elf_segment *s = &img->seg[i];
        int rc = 0;

        if ( s->filesz )
            rc = copy(ctx, s->paddr, img->data + s->offset, s->filesz);
        if ( !rc && s->memsz > s->filesz )
            rc = zero(ctx, s->paddr + s->filesz, s->memsz - s->filesz);
        if ( rc )
            return rc;
    }
    return 0;
}
