// The printed "lock inside the builder image" command of every language and manager (issue 10):
// its shape, what it mounts and passes, and that the files it writes end up owned by the owner of
// the project directory. The last part runs for real: a root shell stands in for the container's
// root, writing into a directory owned by another user, and the command's own script hands the
// files back (rootless engines map the user to 0, where the same step changes nothing).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LANGUAGES } from '../../src/languages/index.ts';
import { ORG_CA } from '../../src/kit/lock-in-image.ts';
import type { LanguageModule, ManagerModule } from '../../src/languages/types.ts';
import type { Options } from '../../src/options/types.ts';
import { testOptions } from '../helpers/options.ts';

const root = mkdtempSync(join(tmpdir(), 'chs-inimage-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** What each lock writes in the project; Go's tidy may rewrite go.mod too; Maven writes nothing there. */
const WRITES: Record<string, string[]> = {
  pipenv: ['Pipfile.lock'],
  poetry: ['poetry.lock'],
  uv: ['uv.lock'],
  'pip-tools': ['requirements.txt', 'requirements-dev.txt'],
  modules: ['go.mod', 'go.sum'],
  npm: ['package-lock.json'],
  pnpm: ['pnpm-lock.yaml'],
  maven: [],
};

/** The variables naming the mounted CA, per language (Maven's command mounts none, as before). */
const CA_VARIABLES: Record<string, string[]> = {
  python: ['PIP_CERT', 'REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE'],
  go: ['SSL_CERT_FILE'],
  node: ['npm_config_cafile', 'NODE_EXTRA_CA_CERTS'],
  java: [],
};

// A fake `docker` records its argv as JSON: what a shell passes after expanding the printed line.
const bin = join(root, 'bin');
const argvLog = join(root, 'argv.json');
spawnSync('mkdir', ['-p', bin]);
writeFileSync(join(bin, 'docker'), `#!${process.execPath}\nrequire('node:fs').writeFileSync(${JSON.stringify(argvLog)}, JSON.stringify(process.argv.slice(2)));\n`);
chmodSync(join(bin, 'docker'), 0o755);

function dockerArgv(line: string, cwd: string, env: Record<string, string> = {}): string[] {
  const result = spawnSync('/bin/sh', ['-c', line], { cwd, env: { PATH: `${bin}:/usr/bin:/bin`, PWD: cwd, ...env }, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(readFileSync(argvLog, 'utf8')) as string[];
}

interface Case {
  language: LanguageModule;
  manager: ManagerModule;
  bundle: boolean;
  index: boolean;
}

function* cases(): Generator<Case> {
  for (const language of LANGUAGES)
    for (const manager of language.managers) for (const bundle of [false, true]) for (const index of [false, true]) yield { language, manager, bundle, index };
}

function options(c: Case): Options {
  return testOptions({
    language: c.language.value,
    manager: c.manager.value,
    certBundle: c.bundle ? 'registry.example.com/base/ca-bundle:20220405' : null,
    indexUrl: c.index ? c.language.mirror.example : null,
    ci: 'none',
  });
}

for (const c of cases()) {
  const name = `${c.language.value}/${c.manager.value}${c.bundle ? ' +bundle' : ''}${c.index ? ' +index' : ''}`;
  test(`${name}: the in-image command mounts the project, keeps the CA and mirror, runs as the image's root and hands the lock back`, () => {
    const opts = options(c);
    const line = c.manager.lockInImageCommand(opts);
    const argv = dockerArgv(line, root, { CA_BUNDLE: '/etc/company/ca.pem' });
    assert.deepEqual(argv.slice(0, 6), ['run', '--rm', '-v', `${root}:/src`, '-w', '/src']);
    assert.ok(!argv.includes('--user') && !argv.includes('-u'), 'no --user: under rootless engines that would be a subordinate id');
    const image = argv.indexOf(opts.images.builder);
    assert.ok(image > 5, `the builder image ${opts.images.builder}`);
    assert.deepEqual(argv.slice(image + 1, image + 3), ['sh', '-c']);
    assert.equal(argv.length, image + 4, 'one script after sh -c');
    const flags = argv.slice(6, image);
    const script = argv[image + 3]!;

    // The CA bundle: mounted read-only from CA_BUNDLE and named to the language's tools.
    const ca = c.bundle ? CA_VARIABLES[c.language.value]! : [];
    const expected = ca.length ? ['-v', `/etc/company/ca.pem:${ORG_CA}:ro`, ...ca.flatMap((variable) => ['-e', `${variable}=${ORG_CA}`])] : [];
    assert.deepEqual(flags.slice(flags.length - expected.length), expected, 'CA mount and variables last');
    const mirror = flags.slice(0, flags.length - expected.length);
    // The mirror through the environment, for the languages whose tools read it there.
    for (let i = 0; i < mirror.length; i += 2) assert.equal(mirror[i], '-e', `only -e before the CA: ${mirror.join(' ')}`);
    // (npm takes it as --registry in the script; Maven from the project's .mvn/settings.xml.)
    const mirrored = mirror.some((flag) => flag.endsWith(`=${opts.indexUrl}`)) || script.includes(`--registry=${opts.indexUrl}`);
    if (c.index && c.language.value !== 'java') assert.ok(mirrored, `the mirror ${opts.indexUrl} in ${line}`);
    if (!c.index) assert.deepEqual(mirror.filter((flag) => /^(PIP_INDEX_URL|GOPROXY|pnpm_config_registry)=/.test(flag)), []);

    // The lock first, then its files to the directory's owner; Maven writes nothing in the project.
    const writes = WRITES[c.manager.value]!;
    for (const file of c.manager.lockFiles) assert.ok(writes.includes(file), `${file} is handed back`);
    if (writes.length) assert.ok(script.endsWith(` && chown "$(stat -c %u:%g .)" ${writes.join(' ')}`), script);
    else assert.doesNotMatch(script, /chown/);
    // pnpm would put its store beside the project (the mount is another file system): a root-owned
    // node_modules/.pnpm-store, seen with Docker here. It goes to the container's /tmp instead.
    if (c.manager.value === 'pnpm') assert.match(script, /pnpm install --lockfile-only --store-dir \/tmp\/pnpm-store /);
  });
}

test('the hand-back step, run for real: files a root process wrote belong to the directory owner again', { skip: process.getuid?.() !== 0 && 'needs root (CI runs as root)' }, () => {
  for (const c of cases()) {
    const writes = WRITES[c.manager.value]!;
    if (writes.length === 0 || c.bundle || c.index) continue;
    const project = mkdtempSync(join(root, `${c.manager.value}-`));
    chownSync(project, 4242, 4343);
    const script = dockerArgv(c.manager.lockInImageCommand(options(c)), project).at(-1)!;
    // Stand-in for the lock: the files appear owned by root, as the image's root writes them.
    const handBack = script.slice(script.lastIndexOf(' && chown ') + ' && '.length);
    for (const file of writes) writeFileSync(join(project, file), 'locked\n');
    const result = spawnSync('/bin/sh', ['-c', handBack], { cwd: project, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    for (const file of writes) {
      const { uid, gid } = statSync(join(project, file));
      assert.deepEqual([uid, gid], [4242, 4343], `${c.manager.value}: ${file}`);
    }
    // In a directory root owns (root on the host, or the user under a rootless engine): unchanged.
    const own = mkdtempSync(join(root, `${c.manager.value}-root-`));
    for (const file of writes) writeFileSync(join(own, file), 'locked\n');
    assert.equal(spawnSync('/bin/sh', ['-c', handBack], { cwd: own }).status, 0);
    for (const file of writes) assert.equal(statSync(join(own, file)).uid, 0);
  }
});
