import type { Files } from '../types.ts';
import type { Options } from '../../options/types.ts';
import { setDotfiles } from '../../kit/dotfiles.ts';
import { readTemplate, renderTemplate } from '../../kit/templates.ts';
import { javaContext } from './context.ts';

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

/** Pure: options -> the Java project's files, in write order. Reads only the templates. */
export function renderJava(options: Options): Files {
  const data = { ...javaContext(options) } as unknown as Record<string, unknown>;
  const files: Files = new Map();
  files.set('README.md', renderTemplate('java/README.md.ejs', data));
  files.set('Dockerfile', renderTemplate('java/Dockerfile.ejs', data));
  setDotfiles(files, 'java');
  files.set('pom.xml', renderTemplate('java/pom.xml.ejs', data));
  // The mirror is read as global settings, so a developer's ~/.m2/settings.xml keeps its credentials.
  if (options.indexUrl) {
    files.set('.mvn/settings.xml', renderTemplate('java/mvn/settings.xml.ejs', data));
    files.set('.mvn/maven.config', readTemplate('java/mvn/maven.config'));
  }
  for (const path of SOURCES) files.set(path, readTemplate(`java/${path}`));
  return files;
}
