#!/usr/bin/env python3
"""Layering check: rejects #includes that point the wrong way between modules.

A module is a folder directly under src/ (common, ceb, registry, store, ...). What a module
may include is declared in one place: the DEPS and PRIVATE_DEPS of the shumao_module(...)
calls in src/<module>/CMakeLists.txt and in any CMakeLists.txt below it (src/store/sqlite).
A dependency is named as a target, shumao_<name>; the module owning that target is the
folder whose CMakeLists.txt declares NAME <name>. Dependencies are transitive: if ceb
depends on common and registry on ceb, registry may include common/. A module may always
include itself. Test files (*_test.cc, *_test.h, test_util.*) may also include the modules
in TEST_DEPS. A module whose CMakeLists.txt declares no shumao_module yet (a stub) may
include common/ only.

Driver and parser headers may appear only inside their adapter folder (see DRIVER_RULES).

Usage: tools/check_layering.py [--root DIR] [--verbose]
       tools/check_layering.py --self-test
Prints one line per violation, "file:line: module X may not include Y (allowed: ...)", and
exits 1 if there is any; otherwise prints a one-line OK summary and exits 0.
"""
import argparse
import os
import re
import sys
import tempfile

SOURCE_EXTENSIONS = ('.h', '.hh', '.hpp', '.cc', '.cpp', '.cxx', '.inc', '.ipp')
SHUMAO_MODULE_KEYWORDS = {'NAME', 'SOURCES', 'DEPS', 'PRIVATE_DEPS', 'TESTS', 'TEST_DEPS'}
STUB_ALLOWED = ('common',)

# (what the include looks like, where it may appear, whether test files may include it).
# A place ending in "/" is a folder prefix, otherwise one file; paths are from the root.
DRIVER_RULES = [
    ('sqlite3.h', ('src/store/sqlite/',), False),
    ('libpq-fe.h', ('src/store/postgres/',), False),
    ('httplib.h', ('src/http/',), False),
    ('pugixml.hpp', ('src/ceb/',), True),
    ('libxml/', ('src/ceb/',), True),
    ('openssl/', ('src/common/crypto.cc', 'src/ceb/'), True),
    ('rapidjson/', ('src/ceb/', 'src/http/', 'src/app/', 'src/intake/', 'src/clearance/',
                    'src/summary/', 'src/exporttax/'), True),
    ('xlsxwriter.h', ('src/exporttax/', 'src/stats/xlsx.cc'), False),
    ('xlsxwriter/', ('src/exporttax/', 'src/stats/xlsx.cc'), False),
]

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def is_test_file(path):
    base = os.path.basename(path)
    stem = os.path.splitext(base)[0]
    return stem.endswith('_test') or stem.startswith('test_util') or stem.endswith('test_util')


def driver_rule(include):
    """The DRIVER_RULES entry an include falls under, or None."""
    for pattern, places, tests_ok in DRIVER_RULES:
        if pattern.endswith('/'):
            if include.startswith(pattern):
                return pattern, places, tests_ok
        elif include == pattern or include.endswith('/' + pattern):
            return pattern, places, tests_ok
    return None


# ---------------------------------------------------------------------------------------
# CMake parsing


def strip_cmake_comments(text):
    """Removes # line comments and #[[ ]] bracket comments, keeping quoted strings."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif c == '#':
            m = re.match(r'#\[(=*)\[', text[i:])
            if m:
                end = text.find(']' + m.group(1) + ']', i + m.end())
                i = n if end < 0 else end + len(m.group(1)) + 2
            else:
                end = text.find('\n', i)
                i = n if end < 0 else end
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def command_calls(text, command):
    """Argument token lists of each call to `command` (case-insensitive) in CMake text."""
    calls = []
    for m in re.finditer(r'\b' + command + r'\s*\(', text, re.IGNORECASE):
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] == '_'):
            continue
        depth, i = 1, m.end()
        while i < len(text) and depth:
            if text[i] == '(':
                depth += 1
            elif text[i] == ')':
                depth -= 1
            i += 1
        body = text[m.end():i - 1]
        calls.append(re.findall(r'"[^"]*"|[^\s()]+', body))
    return calls


def parse_shumao_module(tokens):
    """{keyword: [values]} of one shumao_module(...) call."""
    args, key = {}, None
    for tok in tokens:
        tok = tok.strip('"')
        if tok in SHUMAO_MODULE_KEYWORDS:
            key = tok
            args.setdefault(key, [])
        elif key:
            args[key].append(tok)
    return args


class Modules:
    """The modules under src/ and the dependencies their CMakeLists.txt declare."""

    def __init__(self, root):
        self.root = root
        self.src = os.path.join(root, 'src')
        self.names = sorted(d for d in os.listdir(self.src)
                            if os.path.isdir(os.path.join(self.src, d)) and not d.startswith('.'))
        self.target_module = {}  # "store_sqlite" -> "store"
        self.deps = {m: set() for m in self.names}       # DEPS and PRIVATE_DEPS, as targets
        self.test_deps = {m: set() for m in self.names}  # TEST_DEPS, as targets
        self.declared = set()  # modules with at least one shumao_module call
        self.warnings = []
        linked = []  # (CMakeLists.txt, module, shumao_ targets named by target_link_libraries)
        for m in self.names:
            for cmake in self._cmake_files(m):
                with open(cmake, encoding='utf-8', errors='replace') as f:
                    text = strip_cmake_comments(f.read())
                for tokens in command_calls(text, 'shumao_module'):
                    args = parse_shumao_module(tokens)
                    for name in args.get('NAME', [])[:1]:
                        self.target_module[name] = m
                        self.declared.add(m)
                    self.deps[m].update(t for t in args.get('DEPS', []) + args.get('PRIVATE_DEPS', [])
                                        if t.startswith('shumao_'))
                    self.test_deps[m].update(t for t in args.get('TEST_DEPS', [])
                                             if t.startswith('shumao_'))
                for tokens in command_calls(text, 'target_link_libraries'):
                    linked.append((cmake, m, [t for t in tokens[1:] if t.startswith('shumao_')]))
        for cmake, m, targets in linked:
            others = [t for t in targets if self._module_of_target(t) != m]
            if others:
                self.warnings.append(
                    f'{self.rel(cmake)}: target_link_libraries names {", ".join(others)}; '
                    'this check reads only shumao_module(DEPS ...), so declare them there')
        self.graph = {m: self._modules_of(self.deps[m], m) for m in self.names}
        self.test_graph = {m: self._modules_of(self.test_deps[m], m) for m in self.names}

    def rel(self, path):
        return os.path.relpath(path, self.root)

    def _cmake_files(self, module):
        found = []
        for dirpath, dirnames, filenames in os.walk(os.path.join(self.src, module)):
            dirnames.sort()
            if 'CMakeLists.txt' in filenames:
                found.append(os.path.join(dirpath, 'CMakeLists.txt'))
        return found

    def _module_of_target(self, target):
        name = target[len('shumao_'):]
        if name in self.target_module:
            return self.target_module[name]
        if name in self.names:  # declared in a module not written yet
            return name
        for m in self.names:  # store_sqlite before src/store/sqlite declares it
            if name.startswith(m + '_'):
                return m
        return None

    def _modules_of(self, targets, owner):
        mods = set()
        for t in sorted(targets):
            m = self._module_of_target(t)
            if m is None:
                self.warnings.append(f'src/{owner}: dependency {t} is not a module target')
            elif m != owner:
                mods.add(m)
        return mods

    def closure(self, start, extra=()):
        """Modules reachable from `start` (itself included), plus those reachable from extra."""
        seen, stack = set(), [start, *extra]
        while stack:
            m = stack.pop()
            if m in seen:
                continue
            seen.add(m)
            if m in self.declared:
                stack.extend(self.graph.get(m, ()))
            else:
                stack.extend(x for x in STUB_ALLOWED if x in self.names)
        return seen

    def allowed(self, module, test_file=False):
        return self.closure(module, self.test_graph[module] if test_file else ())

    def cycles(self):
        """Each dependency cycle once, as a list of modules ending where it starts."""
        found, state = [], {}

        def visit(m, path):
            state[m] = 1
            path.append(m)
            for d in sorted(self.graph.get(m, ())):
                if state.get(d) == 1:
                    cyc = path[path.index(d):] + [d]
                    if sorted(cyc[:-1]) not in [sorted(c[:-1]) for c in found]:
                        found.append(cyc)
                elif d not in state:
                    visit(d, path)
            path.pop()
            state[m] = 2

        for m in self.names:
            if m not in state:
                visit(m, [])
        return found


# ---------------------------------------------------------------------------------------
# Include scanning


def includes_of(path):
    """(line number, '<' or '"', include) of each #include outside block comments."""
    out = []
    in_comment = False
    with open(path, encoding='utf-8', errors='replace') as f:
        for lineno, line in enumerate(f, 1):
            if in_comment:
                end = line.find('*/')
                if end < 0:
                    continue
                line = line[end + 2:]
                in_comment = False
            line = re.sub(r'/\*.*?\*/', ' ', line)
            start = line.find('/*')
            if start >= 0 and '//' not in line[:start]:
                line, in_comment = line[:start], True
            m = INCLUDE_RE.match(line)
            if m:
                out.append((lineno, m.group(1), m.group(2).strip()))
    return out


def source_files(src):
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith('.'))
        for name in sorted(filenames):
            if name.endswith(SOURCE_EXTENSIONS):
                yield os.path.join(dirpath, name)


def included_module(mods, path, delim, include):
    """The module an include points into, or None for a header from outside src/."""
    if delim == '"':
        local = os.path.normpath(os.path.join(os.path.dirname(path), include))
        if os.path.exists(local):
            rel = os.path.relpath(local, mods.src)
            if rel.startswith('..'):
                return None
            first = rel.split(os.sep)[0]
            return first if first in mods.names else None
    parts = os.path.normpath(include).split(os.sep)
    if len(parts) > 1 and parts[0] in mods.names:
        return parts[0]
    return None


def check(root):
    """(violations, summary, warnings) for the tree at root."""
    mods = Modules(root)
    violations = []
    for cyc in mods.cycles():
        violations.append(f'src/{cyc[0]}/CMakeLists.txt:1: module dependency cycle: '
                          + ' -> '.join(cyc))
    n_files = n_includes = 0
    for path in source_files(mods.src):
        rel = mods.rel(path).replace(os.sep, '/')
        parts = rel.split('/')
        if len(parts) < 3:  # a file directly under src/ belongs to no module
            continue
        module = parts[1]
        test = is_test_file(path)
        n_files += 1
        for lineno, delim, include in includes_of(path):
            n_includes += 1
            rule = driver_rule(include)
            if rule:
                pattern, places, tests_ok = rule
                ok = (test and tests_ok) or any(
                    rel.startswith(p) if p.endswith('/') else rel == p for p in places)
                if not ok:
                    where = ', '.join(places) + (', *_test.cc' if tests_ok else '')
                    violations.append(f'{rel}:{lineno}: module {module} may not include '
                                      f'{include} (allowed: {where})')
                continue
            target = included_module(mods, path, delim, include)
            if target is None:
                continue
            allowed = mods.allowed(module, test)
            if target not in allowed:
                violations.append(f'{rel}:{lineno}: module {module} may not include {include} '
                                  f'(allowed: {", ".join(sorted(allowed))})')
    stubs = [m for m in mods.names if m not in mods.declared]
    summary = (f'layering OK: {n_files} files, {n_includes} includes, {len(mods.names)} modules'
               + (f' ({len(stubs)} stubs: {", ".join(stubs)})' if stubs else ''))
    return violations, summary, mods


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--root', default=os.path.dirname(here), help='repository root')
    p.add_argument('--verbose', action='store_true', help='print what each module may include')
    p.add_argument('--self-test', action='store_true', help='check the checker on a fake tree')
    a = p.parse_args(argv)
    if a.self_test:
        return self_test()
    violations, summary, mods = check(a.root)
    for w in mods.warnings:
        print('warning: ' + w, file=sys.stderr)
    if a.verbose:
        for m in mods.names:
            kind = '' if m in mods.declared else ' (stub)'
            print(f'{m}{kind}: {", ".join(sorted(mods.allowed(m)))}')
    for v in violations:
        print(v)
    if violations:
        print(f'layering: {len(violations)} violation(s)', file=sys.stderr)
        return 1
    print(summary)
    return 0


# ---------------------------------------------------------------------------------------
# Self-test: a small fake tree with one of each kind of violation.


def self_test():
    files = {
        'src/common/CMakeLists.txt': 'shumao_module(NAME common SOURCES a.cc DEPS Threads::Threads)',
        'src/common/a.h': '#include <string>\n',
        'src/common/crypto.cc': '#include "common/a.h"\n#include <openssl/evp.h>\n',
        'src/common/bad.cc': '#include "ceb/message.h"\n',  # up the stack
        'src/ceb/CMakeLists.txt': ('# DEPS shumao_registry in a comment does not count\n'
                                   'shumao_module(NAME ceb\n  SOURCES m.cc\n'
                                   '  DEPS shumao_common  # common\n  PRIVATE_DEPS pugixml::pugixml)'),
        'src/ceb/message.h': '#include "common/a.h"\n#include <pugixml.hpp>\n#include <rapidjson/document.h>\n',
        'src/ceb/m.cc': '/* #include "registry/x.h" */\n#include "message.h"\n#include "sub/y.h"\n',
        'src/ceb/sub/y.h': '',
        'src/registry/CMakeLists.txt': 'shumao_module(NAME registry SOURCES r.cc DEPS shumao_ceb\n'
                                       '  TEST_DEPS shumao_store)',
        'src/registry/r.cc': ('#include "common/a.h"\n'       # transitive: fine
                              '#include "registry/r.h"\n'     # self
                              '#include <openssl/sha.h>\n'   # not here
                              '#include "store/store.h"\n'),  # only tests
        'src/registry/r_test.cc': '#include "store/store.h"\n#include <pugixml.hpp>\n',
        'src/store/CMakeLists.txt': 'add_subdirectory(sqlite)\n'
                                    'shumao_module(NAME store SOURCES s.cc DEPS shumao_registry)',
        'src/store/sqlite/CMakeLists.txt': 'shumao_module(NAME store_sqlite SOURCES q.cc '
                                           'DEPS shumao_store)',
        'src/store/sqlite/q.cc': '#include <sqlite3.h>\n#include "ceb/message.h"\n',
        'src/store/s.cc': '#include <sqlite3.h>\n',
        'src/risk/CMakeLists.txt': '# module risk: filled in as it is written\n',
        'src/risk/k.cc': '#include "common/a.h"\n  #  include "ceb/message.h"\n',
        'src/app/CMakeLists.txt': 'shumao_module(NAME app SOURCES main.cc PRIVATE_DEPS shumao_store_sqlite)',
        'src/app/main.cc': '#include "store/store.h"\n#include "common/a.h"\n#include <httplib.h>\n',
    }
    expected = [
        'src/app/main.cc:3: module app may not include httplib.h (allowed: src/http/)',
        'src/common/bad.cc:1: module common may not include ceb/message.h (allowed: common)',
        'src/registry/r.cc:3: module registry may not include openssl/sha.h '
        '(allowed: src/common/crypto.cc, src/ceb/, *_test.cc)',
        'src/registry/r.cc:4: module registry may not include store/store.h '
        '(allowed: ceb, common, registry)',
        'src/risk/k.cc:2: module risk may not include ceb/message.h (allowed: common, risk)',
        'src/store/s.cc:1: module store may not include sqlite3.h (allowed: src/store/sqlite/)',
    ]
    with tempfile.TemporaryDirectory() as root:
        for rel, content in files.items():
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write(content)
        violations, summary, mods = check(root)
        ok = sorted(violations) == sorted(expected)
        # A cycle is reported when one appears.
        with open(os.path.join(root, 'src/common/CMakeLists.txt'), 'w') as f:
            f.write('shumao_module(NAME common SOURCES a.cc DEPS shumao_app)')
        cyc, _, _ = check(root)
        ok = ok and any('dependency cycle' in v for v in cyc)
    if not ok:
        print('self-test FAILED; got:\n  ' + '\n  '.join(sorted(violations)))
        print('expected:\n  ' + '\n  '.join(sorted(expected)))
        return 1
    print('self-test OK')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
