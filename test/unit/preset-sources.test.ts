// Where a preset comes from (pure classification and integrity), how `extends` merges, the
// in-memory tarball reader, and the file side of the loader (chains, cycles, depth, the record).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { settle } from '../../src/answer-rules.ts';
import { BadArchive, readTarball } from '../../src/fs/tar.ts';
import { MAX_PRESET_CHAIN, mergePresets, parsePreset, parsePresetLayer } from '../../src/options/preset.ts';
import { presetSource } from '../../src/options/preset-source.ts';
import { UsageError } from '../../src/options/validate.ts';
import { readPreset, recordIn } from '../../src/steps/preset.ts';
import { tempDir } from '../helpers/cli.ts';
import { packPackages, sha256Hex, sri } from '../helpers/preset-servers.ts';

const none = () => false;
const usage = (pattern: RegExp) => (error: unknown) => error instanceof UsageError && pattern.test(error.message);

test('a spec is a file, a package or an https URL', () => {
  assert.deepEqual(presetSource('./team.json', '--preset', none), { kind: 'file', path: './team.json' });
  assert.deepEqual(presetSource('/etc/team', '--preset', none), { kind: 'file', path: '/etc/team' });
  assert.deepEqual(presetSource('team.json', '--preset', none), { kind: 'file', path: 'team.json' });
  assert.deepEqual(presetSource('./odd\u001b.json', '--preset', none), { kind: 'file', path: './odd\u001b.json' }, 'a file may have any name');
  assert.deepEqual(presetSource('team', '--preset', (path) => path === 'team'), { kind: 'file', path: 'team' }, 'a bare name that exists is the file');
  assert.deepEqual(presetSource('team', '--preset', none), { kind: 'package', name: 'team', range: undefined, spec: 'team' });
  assert.deepEqual(presetSource('@acme/hardened-preset', '--preset', none), { kind: 'package', name: '@acme/hardened-preset', range: undefined, spec: '@acme/hardened-preset' });
  for (const range of ['1.2.3', '^1', '>=1.2 <2', 'next', '~1.2.0-rc.1']) {
    const source = presetSource(`@acme/hardened-preset@${range}`, '--preset', none);
    assert.equal(source.kind === 'package' && source.range, range);
  }
  const url = presetSource('https://presets.example.com/team.json', '--preset', none);
  assert.equal(url.kind === 'url' && url.url.href, 'https://presets.example.com/team.json');
  assert.equal(url.kind === 'url' && url.integrity, undefined);
});

test('bad specs are usage errors with an example, and never echo credentials', () => {
  const cases: [string, RegExp][] = [
    ['http://presets.example.com/team.json', /plain http.*Example: --preset https:/],
    ['HTTP://presets.example.com/team.json', /plain http/],
    ['ftp://presets.example.com/team.json', /must be https/],
    ['https://user:s3cret@presets.example.com/team.json', /holds credentials/],
    ['https://presets.example.com/team.json#latest', /not an integrity digest/],
    ['https://presets.example.com/team.json#md5-AAAAAAAAAAAAAAAAAAAAAA==', /not an integrity digest/],
    [`https://presets.example.com/team.json#sha256-${Buffer.alloc(31).toString('base64')}`, /not an integrity digest/],
    ['name@file:../x', /not a version, range or tag/],
    ['name@npm:other@1', /not a version, range or tag/],
    ['Team_Preset', /neither a file here, an npm package name nor an https URL.*Examples/],
    ['a\nb', /control character/],
    ['https://presets.exa\nmple.com/team.json', /control character/],
    ['', /is empty/],
  ];
  for (const [spec, pattern] of cases) {
    assert.throws(() => presetSource(spec, '--preset', none), usage(pattern), spec);
    try {
      presetSource(spec, '--preset', none);
    } catch (error) {
      assert.doesNotMatch((error as Error).message, /s3cret/);
    }
  }
});

test('integrity fragments: sha256, sha384 and sha512 in SRI form', () => {
  for (const algorithm of ['sha256', 'sha384', 'sha512'] as const) {
    const digest = sri('{}', algorithm);
    const source = presetSource(`https://presets.example.com/team.json#${digest}`, '--preset', none);
    assert.deepEqual(source.kind === 'url' && source.integrity, { algorithm, digest: digest.slice(algorithm.length + 1) });
  }
});

test('extends: a string or a non-empty list of strings; a lock may rest on a base value', () => {
  assert.deepEqual(parsePresetLayer({ extends: '@acme/base' }, 'a.json').extends, ['@acme/base']);
  assert.deepEqual(parsePresetLayer({ extends: ['./a.json', 'https://x.example/b.json'] }, 'a.json').extends, ['./a.json', 'https://x.example/b.json']);
  assert.deepEqual(parsePresetLayer({}, 'a.json').extends, []);
  for (const bad of [3, [], [''], [1], { a: 1 }]) assert.throws(() => parsePresetLayer({ extends: bad }, 'a.json'), usage(/"extends" must be a preset or a list/));
  assert.doesNotThrow(() => parsePresetLayer({ extends: './base.json', locked: ['registry'] }, 'a.json'));
  assert.throws(() => parsePreset({ locked: ['registry'] }, 'a.json'), usage(/has no value in "defaults" to lock/));
});

test('merging: later presets win, locks add up, a base lock cannot be changed, errors name the preset', () => {
  const base = parsePreset({ defaults: { registry: 'registry.example.com/base', manager: 'uv', ci: 'gitlab' }, locked: ['registry'], versions: { black: '25.1.0' } }, 'base.json');
  const middle = parsePreset({ defaults: { manager: 'poetry', maintainer: 'Team <t@example.com>' }, versions: { black: '25.2.0', pipenv: '2024.0.1' } }, 'middle.json');
  const top = parsePresetLayer({ extends: ['base', 'middle'], defaults: { registry: 'registry.example.com/base', ci: 'none' }, locked: ['manager'] }, 'top.json').preset;
  const merged = mergePresets([base, middle, top], 'top.json');
  assert.equal(merged.file, 'top.json');
  assert.deepEqual(merged.defaults, { registry: 'registry.example.com/base', manager: 'poetry', ci: 'none', maintainer: 'Team <t@example.com>' });
  assert.deepEqual(merged.locked, ['registry', 'manager']);
  assert.deepEqual(merged.versions, { black: '25.2.0', pipenv: '2024.0.1' });
  assert.equal(merged.lockedBy?.registry, 'base.json');
  assert.equal(merged.origin?.manager, 'middle.json');

  const rebel = parsePreset({ defaults: { registry: 'other.example.com' } }, 'rebel.json');
  assert.throws(() => mergePresets([base, rebel], 'rebel.json'), usage(/^preset rebel\.json: defaults\.registry "other\.example\.com" contradicts the preset base\.json it extends, which locks "registry"/));
  const lockNothing = parsePresetLayer({ extends: 'x', locked: ['certBundle'] }, 'lock.json').preset;
  assert.throws(() => mergePresets([base, lockNothing], 'lock.json'), usage(/locked "certBundle" has no value/));

  // Settling names the preset that locked the key, and the one a bad value came from.
  assert.throws(() => settle({ registry: 'none' }, merged), usage(/contradicts the preset base\.json, which locks "registry"/));
  const badValue = mergePresets([parsePreset({ defaults: { ci: 'jenkins' } }, 'old.json'), parsePreset({}, 'new.json')], 'new.json');
  assert.throws(() => settle({}, badValue), usage(/preset old\.json: defaults\.ci/));
});

/** A tar archive of raw entries (name, type, content), to build what npm never would. */
function tar(entries: [string, string, string][]): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, type, content] of entries) {
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write(type, 156);
    header.write('ustar\0', 257);
    blocks.push(header, Buffer.from(content), Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}

const LIMITS = { maxBytes: 1024 * 1024, maxUnpackedBytes: 4 * 1024 * 1024 };

test('the tarball reader: npm pack output read in memory; unsafe names, bombs and non-gzip refused', () => {
  const [packed] = packPackages([{ name: 'p', version: '1.0.0', files: { 'preset.json': { defaults: {} }, 'deep/a/b.json': '{}' } }]);
  const files = readTarball(packed!, LIMITS);
  assert.deepEqual([...files.keys()].sort(), ['package/deep/a/b.json', 'package/package.json', 'package/preset.json']);
  assert.equal(files.get('package/preset.json')!.toString(), '{"defaults":{}}');

  assert.deepEqual([...readTarball(tar([['package/./x.json', '0', '{}'], ['package/link', '2', ''], ['package/dir/', '5', '']]), LIMITS).keys()], ['package/x.json']);
  for (const name of ['../evil.json', 'package/../../evil.json', '/etc/passwd', 'package\\..\\x']) {
    assert.throws(() => readTarball(tar([[name, '0', '{}']]), LIMITS), (error: unknown) => error instanceof BadArchive && /unsafe entry name/.test(error.message), name);
  }
  const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
  assert.throws(() => readTarball(bomb, LIMITS), /unpacks to more than/);
  assert.throws(() => readTarball(Buffer.alloc(LIMITS.maxBytes + 1), LIMITS), /larger than/);
  assert.throws(() => readTarball(Buffer.from('not gzip'), LIMITS), /not gzip/);
});

test('files: extends resolve against the extending file, the record keeps the given file and its sha256', async () => {
  const cwd = tempDir();
  mkdirSync(join(cwd, 'presets/base'), { recursive: true });
  writeFileSync(join(cwd, 'presets/base/root.json'), JSON.stringify({ defaults: { ci: 'gitlab', manager: 'uv' }, locked: ['ci'] }));
  const teamText = JSON.stringify({ extends: './base/root.json', defaults: { manager: 'poetry' } });
  writeFileSync(join(cwd, 'presets/team.json'), teamText);
  const chosen = await readPreset('presets/team.json', {}, cwd);
  assert.deepEqual(chosen.preset?.defaults, { ci: 'gitlab', manager: 'poetry' });
  assert.deepEqual(chosen.preset?.locked, ['ci']);
  assert.equal(chosen.preset?.file, join(cwd, 'presets/team.json'));
  assert.deepEqual(chosen.record, { source: join(cwd, 'presets/team.json'), sha256: sha256Hex(teamText) });
  assert.deepEqual(recordIn(chosen, join(cwd, 'svc')), { source: '../presets/team.json', sha256: sha256Hex(teamText) });
  assert.deepEqual(recordIn(chosen, cwd), { source: './presets/team.json', sha256: sha256Hex(teamText) });
  const absolute = await readPreset(join(cwd, 'presets/team.json'), {}, '/');
  assert.equal(recordIn(absolute, join(cwd, 'svc'))?.source, join(cwd, 'presets/team.json'), 'an absolute path stays absolute');
  const record = { source: '@acme/p@^1', version: '1.2.0' };
  assert.deepEqual(recordIn({ record, given: '@acme/p@^1' }, cwd), record);
  // Through the environment variable, the message names it.
  await assert.rejects(readPreset(undefined, { HARDENED_SERVICE_PRESET: './missing.json' }, cwd), usage(/^HARDENED_SERVICE_PRESET: cannot read the preset .*missing\.json: it does not exist/));
});

test('files: a cycle and a chain over the limit are refused naming the chain', async () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'a.json'), JSON.stringify({ extends: './b.json' }));
  writeFileSync(join(cwd, 'b.json'), JSON.stringify({ extends: ['./c.json', './a.json'] }));
  writeFileSync(join(cwd, 'c.json'), '{}');
  const a = join(cwd, 'a.json');
  const b = join(cwd, 'b.json');
  await assert.rejects(readPreset('./a.json', {}, cwd), usage(new RegExp(`^preset ${a} -> ${b} -> ${a}: extends itself`)));

  for (let i = 0; i <= MAX_PRESET_CHAIN; i++) writeFileSync(join(cwd, `chain-${i}.json`), JSON.stringify(i === MAX_PRESET_CHAIN ? {} : { extends: `./chain-${i + 1}.json` }));
  await assert.rejects(readPreset('./chain-0.json', {}, cwd), usage(new RegExp(`chain-0\\.json -> .* -> ${cwd}/chain-${MAX_PRESET_CHAIN}\\.json: more than ${MAX_PRESET_CHAIN} presets extend one another`)));
  // Exactly the limit is fine: from chain-1, eight presets.
  assert.ok((await readPreset('./chain-1.json', {}, cwd)).preset);
  // A diamond is not a cycle.
  writeFileSync(join(cwd, 'd.json'), JSON.stringify({ extends: ['./c.json', './c.json'] }));
  assert.ok((await readPreset('./d.json', {}, cwd)).preset);
});
