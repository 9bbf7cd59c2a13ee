import { MANAGER_FILES } from '../../kit/files.ts';
import { defineLanguage } from '../../kit/language.ts';
import { onboardingFiles } from '../../kit/onboarding.ts';
import { javaOnboarding } from './onboarding.ts';
import { javaContext, javaRelease, PINNED } from './context.ts';
import { javaImages, javaWarnings } from './images.ts';
import { maven } from './maven.ts';

/** The service (package `service`) and its JUnit tests: static files, nothing in them varies. */
const SOURCES = [
  'src/main/java/service/Main.java',
  'src/main/java/service/HealthServer.java',
  'src/main/java/service/Settings.java',
  'src/main/java/service/Log.java',
  'src/test/java/service/SettingsTest.java',
  'src/test/java/service/HealthServerTest.java',
  'src/test/java/service/MainTest.java',
];

/** Java: a JDK-only HTTP service built with Maven, JUnit gates, distroless java runtime. */
export const java = defineLanguage({
  value: 'java',
  label: 'Java',
  hint: 'JDK HTTP server, Maven, JUnit',
  managers: [maven],
  runtimeVersions: [
    { value: '21', label: 'Java 21', hint: 'distroless java21-debian13' },
    { value: '25', label: 'Java 25', hint: 'distroless java25-debian13' },
    { value: '17', label: 'Java 17', hint: 'distroless java17-debian12' },
  ],
  // javac (-Xlint:all -Werror) compiles inside the same `mvn verify` as the tests: one gate.
  gates: [{ value: 'test', label: 'test', hint: 'mvn verify: javac -Werror, then JUnit (fails when no test ran)' }],
  mirror: { label: 'Maven mirror (settings.xml <mirror>)', example: 'https://nexus.example.com/repository/maven-public/' },
  buildSecret: { id: 'maven-settings', variable: 'INDEX_MAVEN_SETTINGS', format: 'Maven settings.xml' },
  tools: PINNED,
  examples: {
    builderImage: 'registry.example.com/base/maven:3.9-amazoncorretto-21-debian-trixie',
    runtimeImage: 'registry.example.com/base/distroless/java21-debian13:nonroot',
  },
  images: javaImages,
  warnings: (options) => javaWarnings({ ...options, javaRelease: javaRelease(options) }),
  // The in-image resolve reads the mirror from .mvn/ and mounts no CA (it did not before either).
  tooling: { mirrorEnv: () => ({}), caVariables: [] },
  context: javaContext,
  onboarding: javaOnboarding,
  files: [
    { path: 'pom.xml', template: 'pom.xml.ejs' },
    MANAGER_FILES,
    // The mirror is read as global settings, so a developer's ~/.m2/settings.xml keeps its credentials.
    { path: '.mvn/settings.xml', template: 'mvn/settings.xml.ejs', when: (c) => c.indexUrl !== null },
    { path: '.mvn/maven.config', template: 'mvn/maven.config', when: (c) => c.indexUrl !== null },
    ...SOURCES.map((path) => ({ path, template: path })),
    ...onboardingFiles(),
  ],
});
