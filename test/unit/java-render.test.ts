// Rendering the Java (Maven) project: the files, the pinned pom.xml, the mirror settings, images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { languageById } from '../../src/languages/index.ts';
import { renderProject } from '../../src/render/render.ts';
import { readTemplate } from '../../src/kit/templates.ts';
import { VERSIONS } from '../../src/versions.ts';
import type { Answers } from '../../src/options/types.ts';
import { testOptions } from '../helpers/options.ts';

const java = languageById('java')!;

function render(answers: Partial<Answers> = {}) {
  return renderProject(testOptions({ name: 'billing-api', language: 'java', manager: 'maven', runtimeVersion: '21', gates: ['test'], ...answers }));
}

/** Every `<plugin>` or `<dependency>` block of a POM with its coordinates and version. */
function artifacts(pom: string): Array<{ artifactId: string; version: string | null }> {
  return [...pom.matchAll(/<(plugin|dependency)>([\s\S]*?)<\/\1>/g)].map((m) => ({
    artifactId: /<artifactId>([^<]+)<\/artifactId>/.exec(m[2]!)?.[1] ?? '?',
    version: /<version>([^<]+)<\/version>/.exec(m[2]!)?.[1] ?? null,
  }));
}

test('the language module offers Maven and Java 21 first, with matching builder and runtime images', () => {
  assert.deepEqual(java.managers.map((m) => m.value), ['maven']);
  assert.equal(java.runtimeVersions[0]!.value, '21');
  assert.deepEqual(java.images(null, '21'), {
    builder: 'maven:3.9-amazoncorretto-21-debian-trixie',
    runtime: 'gcr.io/distroless/java21-debian13:nonroot',
  });
  assert.deepEqual(java.images('registry.example.com/base', '17'), {
    builder: 'registry.example.com/base/maven:3.9-amazoncorretto-17-debian-bookworm',
    runtime: 'registry.example.com/base/distroless/java17-debian12:nonroot',
  });
  // Same Java major on both sides, whichever is chosen.
  for (const { value } of java.runtimeVersions) {
    const images = java.images(null, value);
    assert.match(images.builder, new RegExp(`-${value}-debian-`));
    assert.match(images.runtime, new RegExp(`/java${value}-debian\\d+:nonroot$`));
  }
});

test('the project has the service, its JUnit tests, pom.xml and no lock file', () => {
  const files = render({ ci: 'github' });
  assert.deepEqual([...files.keys()], [
    'README.md',
    'Dockerfile',
    '.dockerignore',
    '.gitignore',
    '.editorconfig',
    'pom.xml',
    'src/main/java/service/Main.java',
    'src/main/java/service/HealthServer.java',
    'src/main/java/service/Settings.java',
    'src/main/java/service/Log.java',
    'src/test/java/service/SettingsTest.java',
    'src/test/java/service/HealthServerTest.java',
    'src/test/java/service/MainTest.java',
    // No .pre-commit-config.yaml: Java has no format or lint gate.
    '.devcontainer/devcontainer.json',
    '.github/workflows/ci.yml',
    '.hardened-service.json',
  ]);
  assert.deepEqual(java.managers[0]!.lockFiles, []);
  assert.deepEqual(java.managers[0]!.lockCommands(testOptions({ language: 'java', manager: 'maven', runtimeVersion: '21' })), []);
  for (const path of [...files.keys()].filter((p) => p.endsWith('.java'))) {
    assert.equal(files.get(path), readTemplate(`java/${path}`), `${path} is copied as it is`);
  }
});

test('pom.xml pins every plugin and dependency to the versions table, with no range or moving version', () => {
  const pom = render().get('pom.xml')!;
  const found = artifacts(pom);
  assert.ok(found.length >= 12, `plugins and dependencies found: ${found.length}`);
  for (const { artifactId, version } of found) {
    assert.ok(version, `${artifactId} has a <version>`);
    assert.doesNotMatch(version!, /[[\](),]|LATEST|RELEASE|SNAPSHOT/, `${artifactId} ${version} is one fixed version`);
    const expected = artifactId === 'surefire-junit-platform' ? VERSIONS['maven-surefire-plugin'] : VERSIONS[artifactId as keyof typeof VERSIONS];
    assert.equal(version, expected, `${artifactId} follows src/versions.ts`);
  }
  // Every lifecycle plugin a build up to deploy and site uses is pinned, and the enforcer checks it.
  for (const plugin of ['clean', 'resources', 'compiler', 'surefire', 'jar', 'install', 'deploy', 'site', 'enforcer', 'dependency']) {
    assert.ok(found.some((a) => a.artifactId === `maven-${plugin}-plugin`), `maven-${plugin}-plugin is pinned`);
  }
  assert.match(pom, /<requirePluginVersions>/);
  assert.match(pom, /<failIfNoTests>true<\/failIfNoTests>/);
  assert.match(pom, /<project\.build\.outputTimestamp>[^<$]+<\/project\.build\.outputTimestamp>/);
  assert.match(pom, /<maven\.compiler\.release>21<\/maven\.compiler\.release>/);
  assert.match(pom, /<mainClass>service\.Main<\/mainClass>/);
  // Test dependencies only: the service runs on the JDK alone.
  assert.doesNotMatch(pom.replace(/<plugin>[\s\S]*?<\/plugin>/g, ''), /<scope>(compile|runtime)<\/scope>/);
  assert.equal([...pom.matchAll(/<scope>test<\/scope>/g)].length, 2);
});

test('the Java release follows the chosen runtime version', () => {
  for (const version of ['25', '17']) {
    const files = render({ runtimeVersion: version });
    assert.match(files.get('pom.xml')!, new RegExp(`<maven.compiler.release>${version}</maven.compiler.release>`));
    assert.match(files.get('Dockerfile')!, new RegExp(`FROM \\S*java${version}-debian\\d+:nonroot AS runtime`));
  }
});

test('a mirror becomes .mvn/settings.xml read as global settings; credentials only through a build secret', () => {
  const url = 'https://nexus.example.com/repository/maven-public/';
  const files = render({ indexUrl: url });
  const settings = files.get('.mvn/settings.xml')!;
  assert.match(settings, new RegExp(`<url>${url}</url>`));
  assert.match(settings, /<mirrorOf>\*<\/mirrorOf>/);
  assert.doesNotMatch(settings, /<password>|<username>|<servers>/);
  assert.equal(files.get('.mvn/maven.config'), '--global-settings=.mvn/settings.xml\n');
  const dockerfile = files.get('Dockerfile')!;
  assert.match(dockerfile, /^COPY \.mvn\/ \.\/\.mvn\/$/m);
  const mavenRuns = dockerfile.split('\nRUN ').filter((run) => /^\S*\s*--mount[\s\S]*?\bmvn /.test(run));
  assert.equal(mavenRuns.length, 3);
  for (const run of mavenRuns) {
    assert.match(run, /--mount=type=secret,id=maven-settings,target=\/root\/\.m2\/settings\.xml,required=false/);
    assert.match(run, /--mount=type=cache,target=\/root\/\.m2\/repository/);
  }
  assert.ok(!render().has('.mvn/settings.xml'), 'no mirror, no settings file');
});

test('a CA bundle becomes a truststore for Maven and the runtime, never a disabled check', () => {
  const files = render({ certBundle: 'registry.example.com/base/ca-bundle:2022', indexUrl: 'https://nexus.example.com/maven/' });
  const dockerfile = files.get('Dockerfile')!;
  assert.match(dockerfile, /keytool .*\n.*-importcert -noprompt -storetype PKCS12/);
  assert.match(dockerfile, /ENV MAVEN_OPTS="-Djavax\.net\.ssl\.trustStore=\/etc\/ssl\/certs\/java-truststore"/);
  assert.match(dockerfile, /^COPY --from=builder \/etc\/ssl\/certs\/java-truststore \/etc\/ssl\/certs\/java-truststore$/m);
  assert.match(dockerfile, /^ENTRYPOINT \[.*"-Djavax\.net\.ssl\.trustStore=\/etc\/ssl\/certs\/java-truststore"\]$/m);
  assert.doesNotMatch(dockerfile, /insecure|trustAll|-Dmaven\.wagon\.http\.ssl|-Daether\.connector\.https\.securityMode/i);
  assert.doesNotMatch(render().get('Dockerfile')!, /truststore/i);
});

test('the runtime stage copies the jar only, runs as 65532, and java directly', () => {
  const dockerfile = render().get('Dockerfile')!;
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  assert.deepEqual(
    [...runtime.matchAll(/^COPY .*$/gm)].map((m) => m[0]),
    ['COPY --from=package /app/target/billing-api.jar /app/billing-api.jar'],
  );
  assert.match(runtime, /^USER 65532:65532$/m);
  assert.match(runtime, /^ENTRYPOINT \["\/usr\/bin\/java", "-XX:-UsePerfData"\]$/m);
  assert.match(runtime, /^CMD \["-jar", "\/app\/billing-api\.jar"\]$/m);
  // The package stage builds from the main sources only, after the test stage's marker.
  const pkg = dockerfile.slice(dockerfile.indexOf('AS package'), dockerfile.lastIndexOf('\nFROM '));
  assert.match(pkg, /COPY --from=test \/app\/\.gates-passed/);
  assert.match(pkg, /^COPY src\/main\/ \.\/src\/main\/$/m);
  assert.doesNotMatch(pkg, /src\/test/);
});
