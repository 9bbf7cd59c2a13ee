import type { LanguageModule } from '../types.ts';
import { javaRelease, PINNED } from './context.ts';
import { javaImages, javaWarnings } from './images.ts';
import { maven } from './maven.ts';
import { renderJava } from './render.ts';

/** Java: a JDK-only HTTP service built with Maven, JUnit gates, distroless java runtime. */
export const java: LanguageModule<'java', 'maven'> = {
  value: 'java',
  label: 'Java',
  hint: 'JDK HTTP server, Maven, JUnit',
  managers: [maven],
  defaultManager: 'maven',
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
  render: renderJava,
};
