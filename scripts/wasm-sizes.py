#!/usr/bin/env python3
"""Where the bytes of a WebAssembly module go: section sizes, and the code section's function
bodies summed by origin and listed biggest first.

usage: scripts/wasm-sizes.py MODULE.wasm [SYMBOL_MAP] [--top N]

Function names come from the module's "name" section (a link with --profiling-funcs) or from an
emcc --emit-symbol-map file (lines "index:name"); without either, only the sections are shown.
Names are demangled with c++filt when it is installed. No third-party modules (standard Python).
"""
import re
import shutil
import subprocess
import sys

SECTIONS = {0: 'custom', 1: 'type', 2: 'import', 3: 'function', 4: 'table', 5: 'memory', 6: 'global',
            7: 'export', 8: 'start', 9: 'element', 10: 'code', 11: 'data', 12: 'datacount', 13: 'tag'}


def leb(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def read_name(buf, pos):
    n, pos = leb(buf, pos)
    return buf[pos:pos + n].decode('utf-8', 'replace'), pos + n


def parse(path):
    buf = open(path, 'rb').read()
    assert buf[:4] == b'\0asm', f'{path} is not a wasm module'
    pos = 8
    sections, bodies, names, imported_funcs = [], [], {}, 0
    while pos < len(buf):
        sid = buf[pos]
        size, start = leb(buf, pos + 1)
        end = start + size
        label = SECTIONS.get(sid, str(sid))
        if sid == 0:
            cname, p = read_name(buf, start)
            label = f'custom "{cname}"'
            if cname == 'name':
                while p < end:
                    sub, p2 = buf[p], p + 1
                    ssize, p2 = leb(buf, p2)
                    if sub == 1:
                        count, q = leb(buf, p2)
                        for _ in range(count):
                            idx, q = leb(buf, q)
                            nm, q = read_name(buf, q)
                            names[idx] = nm
                    p = p2 + ssize
        elif sid == 2:
            count, p = leb(buf, start)
            for _ in range(count):
                _, p = read_name(buf, p)
                _, p = read_name(buf, p)
                kind = buf[p]
                p += 1
                if kind == 0:
                    _, p = leb(buf, p)
                    imported_funcs += 1
                elif kind == 1:
                    p += 1
                    flags, p = leb(buf, p)
                    _, p = leb(buf, p)
                    if flags & 1:
                        _, p = leb(buf, p)
                elif kind == 2:
                    flags, p = leb(buf, p)
                    _, p = leb(buf, p)
                    if flags & 1:
                        _, p = leb(buf, p)
                elif kind == 3:
                    p += 2
                elif kind == 4:
                    p += 1
                    _, p = leb(buf, p)
        elif sid == 10:
            count, p = leb(buf, start)
            for i in range(count):
                bsize, q = leb(buf, p)
                bodies.append((imported_funcs + i, q + bsize - p))
                p = q + bsize
        sections.append((label, end - pos))
        pos = end
    return len(buf), sections, bodies, names


ORIGINS = [
    ('Dear ImGui', r'^(ImGui|Im[A-Z]|stb|ImStb|ImFont|ImDraw|ImGuiTable)|^stbtt|^stbrp|^STB'),
    ('ImGui backends (SDL2, OpenGL3)', r'^ImGui_Impl'),
    ('SDL2', r'^(SDL_|Emscripten_|SDL\w|Blit|_SDL)'),
    ('toml++', r'^toml::'),
    ('libc++ / libc++abi', r'^(std::|__cxa|__cxxabiv1|__gxx|_Unwind|__dynamic_cast|operator new|operator delete)'),
    ('topo::ui', r'^topo::ui::'),
    ('topo::lesson', r'^topo::lesson::'),
    ('topo::svc', r'^topo::svc::'),
    ('topo::raft', r'^topo::raft::'),
    ('topo::kv', r'^topo::kv::'),
    ('topo::app', r'^topo::app::'),
    ('other topo::', r'^topo::'),
    ('main and its lambdas', r'^(main|\(anonymous namespace\))'),
    ('libc, malloc, runtime', r'^(__|_?[a-z_0-9]+$|dlmalloc|emscripten|stackAlloc|stackSave|stackRestore|dyn|legalstub|invoke|fmt_|printf|pop_arg|strto)'),
]


def origin(name):
    for label, rx in ORIGINS:
        if re.search(rx, name):
            return label
    return 'unattributed'


def demangle(names):
    if not names or not shutil.which('c++filt'):
        return names
    keys = list(names)
    out = subprocess.run(['c++filt'], input='\n'.join(names[k] for k in keys), capture_output=True,
                         text=True).stdout.split('\n')
    return {k: out[i] if i < len(out) else names[k] for i, k in enumerate(keys)}


def main():
    args = [a for a in sys.argv[1:]]
    top = 25
    if '--top' in args:
        i = args.index('--top')
        top = int(args[i + 1])
        del args[i:i + 2]
    if not args:
        sys.exit(__doc__)
    total, sections, bodies, names = parse(args[0])
    if len(args) > 1:
        for line in open(args[1], encoding='utf-8', errors='replace'):
            idx, _, nm = line.rstrip('\n').partition(':')
            if idx.isdigit():
                names[int(idx)] = nm
    names = demangle(names)
    print(f'{args[0]}: {total} B')
    for label, size in sections:
        print(f'  {label:28s} {size:10d} B  {100 * size / total:5.1f} %')
    if not names:
        return
    code = sum(s for _, s in bodies)
    by = {}
    for idx, size in bodies:
        o = origin(names.get(idx, ''))
        by[o] = by.get(o, 0) + size
    print(f'\nfunction bodies by origin ({code} B, {len(bodies)} functions):')
    for o, s in sorted(by.items(), key=lambda kv: -kv[1]):
        print(f'  {o:32s} {s:10d} B  {100 * s / code:5.1f} %')
    print(f'\nthe {top} biggest functions:')
    for idx, size in sorted(bodies, key=lambda b: -b[1])[:top]:
        print(f'  {size:8d} B  {names.get(idx, "#" + str(idx))[:150]}')


if __name__ == '__main__':
    main()
