#!/usr/bin/env python3
"""Repack every Python distribution Debian installed into wheels (run inside the tools chroot).

Usage: python3 repack-wheels.py OUT_DIR

Why repack: the public index is unreachable here, but Debian's packages are. Each distribution's
files come from its Debian package (`dpkg -L`), because many installed `.dist-info` dirs have no
RECORD and `.egg-info` dirs name no files. Requires-Dist that Debian dropped is restored from the
package's Depends (cleo loses rapidfuzz otherwise). Writes OUT_DIR/*.whl and OUT_DIR/wheels.json.
"""
import base64
import hashlib
import importlib.metadata as md
import json
import os
import re
import subprocess
import sys
import zipfile

SITE = '/usr/lib/python3/dist-packages'
# Debian packages that ship importable files but no metadata of their own: whose wheel gets them.
ORPHAN_HOME = {'python3-pkg-resources': 'setuptools', 'python3-cffi-backend': 'cffi'}
# Fixed zip timestamps, so the same inputs give byte-identical wheels (and stable index hashes).
ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def normalize(name):
    return re.sub(r'[-_.]+', '-', name).lower()


def dpkg(*args):
    return subprocess.run(['dpkg-query', *args], check=True, capture_output=True, text=True).stdout


def owner(path):
    out = subprocess.run(['dpkg', '-S', path], capture_output=True, text=True).stdout
    return out.split(':', 1)[0].strip() if out else None


def package_files(pkg):
    files = []
    for line in dpkg('-L', pkg).splitlines():
        if line.startswith(SITE + '/') and os.path.isfile(line) and not os.path.islink(line):
            files.append(os.path.relpath(line, SITE))
    return files


def depends(pkg):
    """First alternative of each Depends entry, as package names."""
    raw = dpkg('-W', '-f=${Depends}', pkg)
    names = []
    for entry in raw.split(','):
        first = entry.split('|')[0].strip()
        if first:
            names.append(re.split(r'[\s(:]', first, maxsplit=1)[0])
    return names


def upstream_version(pkg):
    version = dpkg('-W', '-f=${Version}', pkg)
    version = version.split(':', 1)[-1].rsplit('-', 1)[0]
    return re.split(r'[+~]', version, maxsplit=1)[0]


def fixed_version(version, pkg):
    # Debian's builds sometimes lose setuptools-scm's version (0.0.0) or keep a dev suffix.
    if version in ('0.0.0', '0.0') or re.search(r'\.dev\d*$', version):
        return upstream_version(pkg)
    return version


def index_requirement(req):
    """`name @ git+https://…` -> `name`: an index serves no direct-URL requirements (PyPI rejects
    them), and Debian built poetry-plugin-export from a tree that pinned poetry-core to git."""
    return re.sub(r'^([A-Za-z0-9._-]+(?:\[[^\]]*\])?)\s*@\s*[^\s;]+\s*', r'\1 ', req).strip()


def wheel_tag(files):
    if any(re.search(r'\.cpython-313-[^/]*\.so$', f) for f in files):
        return 'cp313-cp313-linux_x86_64', False
    if any(f.endswith('.abi3.so') for f in files):
        return 'cp313-abi3-linux_x86_64', False
    if any(f.endswith('.so') for f in files):
        return 'cp313-cp313-linux_x86_64', False
    return 'py3-none-any', True


def record_hash(data):
    return 'sha256=' + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()


def write_wheel(out_dir, name, version, tag, purelib, files, metadata, entry_points):
    dist_name = re.sub(r'[-_.]+', '_', name)
    safe_version = version.replace('-', '_')
    info = f'{dist_name}-{safe_version}.dist-info'
    wheel_name = f'{dist_name}-{safe_version}-{tag}.whl'
    members = []
    for rel in sorted(files):
        with open(os.path.join(SITE, rel), 'rb') as fh:
            members.append((rel, fh.read()))
    members.append((f'{info}/METADATA', metadata.encode()))
    wheel_meta = f'Wheel-Version: 1.0\nGenerator: hardened-service-e2e-repack\nRoot-Is-Purelib: {str(purelib).lower()}\nTag: {tag}\n'
    members.append((f'{info}/WHEEL', wheel_meta.encode()))
    if entry_points:
        members.append((f'{info}/entry_points.txt', entry_points.encode()))
    record = ''.join(f'{path},{record_hash(data)},{len(data)}\n' for path, data in members)
    record += f'{info}/RECORD,,\n'
    members.append((f'{info}/RECORD', record.encode()))
    path = os.path.join(out_dir, wheel_name)
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as zf:
        for rel, data in members:
            zi = zipfile.ZipInfo(rel, ZIP_TIME)
            zi.external_attr = 0o644 << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data)
    return wheel_name


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    dists = {}
    for dist in md.distributions(path=[SITE]):
        meta_dir = str(dist._path)  # noqa: SLF001 - the only way to reach the metadata dir
        pkg = owner(meta_dir)
        if not pkg:
            print(f'skip {meta_dir}: no Debian package owns it', file=sys.stderr)
            continue
        dists[normalize(dist.metadata['Name'])] = (dist, pkg, meta_dir)
    by_pkg = {pkg: key for key, (_, pkg, _) in dists.items()}
    orphans = {pkg: home for pkg, home in ORPHAN_HOME.items() if normalize(home) in dists}

    report = []
    for key, (dist, pkg, meta_dir) in sorted(dists.items()):
        name = dist.metadata['Name']
        version = fixed_version(dist.version, pkg)
        meta_rel = os.path.relpath(meta_dir, SITE)
        files = [f for f in package_files(pkg) if not f.startswith(meta_rel + '/') and '__pycache__' not in f]
        for orphan, home in orphans.items():
            if normalize(home) == key:
                files += [f for f in package_files(orphan) if '__pycache__' not in f]
        requires = [index_requirement(r) for r in dist.requires or []]
        declared = {normalize(re.split(r'[\s\[;<>=!~(]', r, maxsplit=1)[0]) for r in requires}
        restored = []
        for dep in depends(pkg):
            target = by_pkg.get(dep)
            if target and target != key and target not in declared:
                restored.append(dists[target][0].metadata['Name'])
        extras = set(dist.metadata.get_all('Provides-Extra') or [])
        for req in requires:
            extras.update(re.findall(r'extra\s*==\s*["\']([^"\']+)["\']', req))
        lines = ['Metadata-Version: 2.1', f'Name: {name}', f'Version: {version}']
        for field in ('Summary', 'Requires-Python'):
            if dist.metadata.get(field):
                lines.append(f'{field}: {dist.metadata[field]}')
        lines += [f'Provides-Extra: {e}' for e in sorted(extras)]
        lines += [f'Requires-Dist: {r}' for r in requires + restored]
        metadata = '\n'.join(lines) + '\n'
        tag, purelib = wheel_tag(files)
        wheel = write_wheel(out_dir, name, version, tag, purelib, files, metadata, dist.read_text('entry_points.txt'))
        report.append({'name': name, 'version': version, 'debian': pkg, 'wheel': wheel,
                       'files': len(files), 'restored': restored})
        print(f'{wheel}  ({pkg}, {len(files)} files{", restored " + ",".join(restored) if restored else ""})')
    with open(os.path.join(out_dir, 'wheels.json'), 'w') as fh:
        json.dump(report, fh, indent=1)


if __name__ == '__main__':
    main()
