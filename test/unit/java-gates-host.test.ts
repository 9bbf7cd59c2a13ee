// The generated Java project, as it stands, through the host's own Maven and JDK, offline: Maven
// Central cannot be reached here, so Debian's packaged plugins and JUnit (/usr/share/maven-repo)
// serve as the mirror, and the pinned versions are overridden with the ones Debian ships (as a
// preset's `versions` would). Skipped only when mvn or Debian's Maven repository is missing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderProject } from '../../src/render/render.ts';
import { PINNED } from '../../src/languages/java/context.ts';
import { testOptions } from '../helpers/options.ts';

const REPO = '/usr/share/maven-repo';
const MVN = '/usr/bin/mvn';

/** Where each pinned artifact lives in a Maven repository. */
function repoPath(key: string): string {
  if (key === 'junit-jupiter') return 'org/junit/jupiter/junit-jupiter';
  if (key === 'junit-platform-launcher') return 'org/junit/platform/junit-platform-launcher';
  return `org/apache/maven/plugins/${key}`;
}

/** The newest real version Debian ships of each pinned artifact (its `debian` alias aside). */
function debianVersions(): Record<string, string> | string {
  const versions: Record<string, string> = {};
  for (const key of PINNED) {
    const dir = join(REPO, repoPath(key));
    const found = existsSync(dir) ? readdirSync(dir).filter((v) => /^\d/.test(v)) : [];
    if (found.length === 0) return `${dir} missing (apt-get install the Debian package that ships ${key})`;
    versions[key] = found.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1)!;
  }
  return versions;
}

const versions = existsSync(MVN) && existsSync(REPO) ? debianVersions() : `${MVN} or ${REPO} missing`;
const skip = typeof versions === 'string' ? versions : false;

const root = mkdtempSync(join(tmpdir(), 'chs-java-gates-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Render the project for Java 17 (the bookworm host's JDK), or another release, with Debian's plugin versions. */
function project(dir: string, release = '17'): string {
  const options = testOptions({ directory: 'billing-api', language: 'java', manager: 'maven', runtimeVersion: release, gates: ['test'] });
  const target = join(root, dir);
  for (const [path, content] of renderProject({ ...options, versions: { ...options.versions, ...(versions as Record<string, string>) } })) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), content);
  }
  return target;
}

// Debian's repository as a file:// mirror of everything, and a local repository of our own.
const settings = join(root, 'settings.xml');
writeFileSync(
  settings,
  `<settings><localRepository>${join(root, 'm2')}</localRepository><mirrors><mirror><id>debian</id>` +
    `<mirrorOf>*</mirrorOf><url>file://${REPO}</url></mirror></mirrors></settings>\n`,
);

function mvn(cwd: string, args: string[], javaHome?: string): { status: number | null; output: string } {
  const env = { PATH: '/usr/bin:/bin', HOME: root, LANG: 'C.UTF-8', ...(javaHome ? { JAVA_HOME: javaHome } : {}) };
  const result = spawnSync(MVN, ['-B', '-ntp', '-s', settings, ...args], { cwd, env, encoding: 'utf8', timeout: 300_000 });
  if (result.error) throw result.error;
  // Debian's repository has no checksum files: drop those warnings from what a failure prints.
  const output = `${result.stdout}${result.stderr}`.split('\n').filter((l) => !/Could not validate integrity/.test(l)).join('\n');
  return { status: result.status, output };
}

test('mvn verify: the enforcer, javac -Werror and every JUnit test pass as generated', { skip }, (t) => {
  t.diagnostic(`Debian versions: ${JSON.stringify(versions)}`);
  const dir = project('verify');
  const result = mvn(dir, ['verify']);
  assert.equal(result.status, 0, result.output.slice(-4000));
  assert.match(result.output, /enforcer(-plugin)?:[\d.]+:enforce \(pinned-versions\)/);
  const summary = /Tests run: (\d+), Failures: 0, Errors: 0, Skipped: 0\s*$/m.exec(result.output);
  assert.ok(summary && Number(summary[1]) >= 9, `all tests ran and passed:\n${result.output.slice(-3000)}`);
  assert.match(result.output, /Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: [\d.]+ s - in service\.MainTest/, 'the SIGTERM test ran');
  assert.ok(existsSync(join(dir, 'target/billing-api.jar')));
});

test('a project whose tests are gone fails the gate (surefire failIfNoTests)', { skip }, () => {
  const dir = project('no-tests');
  rmSync(join(dir, 'src/test'), { recursive: true });
  const result = mvn(dir, ['verify']);
  assert.notEqual(result.status, 0, 'a run without tests must fail');
  assert.match(result.output, /No tests (were executed|to run)/);
});

test('the package stage\'s build (src/main only) gives the same jar twice: reproducible', { skip }, () => {
  const sums = ['first', 'second'].map((name) => {
    const dir = join(root, `package-${name}`);
    const source = project(`source-${name}`);
    mkdirSync(join(dir, 'src'), { recursive: true });
    cpSync(join(source, 'pom.xml'), join(dir, 'pom.xml'));
    cpSync(join(source, 'src/main'), join(dir, 'src/main'), { recursive: true });
    const result = mvn(dir, ['package', '-Dmaven.test.skip=true']);
    assert.equal(result.status, 0, result.output.slice(-4000));
    return createHash('sha256').update(readFileSync(join(dir, 'target/billing-api.jar'))).digest('hex');
  });
  assert.equal(sums[0], sums[1]);
});

// Java 25 (distroless java25-debian13) where this machine has a JDK 25 beside Debian's 17.
const JDK25 = '/usr/lib/jvm/temurin-25-jdk-amd64';
test('Java 25: mvn verify passes under JDK 25 with maven.compiler.release 25', { skip: skip || (!existsSync(JDK25) && `${JDK25} missing`) }, () => {
  const dir = project('verify-25', '25');
  const result = mvn(dir, ['verify'], JDK25);
  assert.equal(result.status, 0, result.output.slice(-4000));
  assert.match(readFileSync(join(dir, 'pom.xml'), 'utf8'), /<maven\.compiler\.release>25</);
  assert.match(result.output, /Tests run: 9, Failures: 0, Errors: 0, Skipped: 0\s*$/m);
});
