import { pinned } from '../../kit/pins.ts';
import type { Options } from '../../options/types.ts';

/** Plugins pinned in pluginManagement: the lifecycle's own, which the build never configures. */
export const MANAGED_PLUGINS = [
  'maven-clean-plugin',
  'maven-resources-plugin',
  'maven-install-plugin',
  'maven-deploy-plugin',
  'maven-site-plugin',
  'maven-dependency-plugin',
] as const;

/** Plugins configured in <plugins>, and the test dependencies: every key the pom reads. */
export const PINNED = [
  ...MANAGED_PLUGINS,
  'maven-enforcer-plugin',
  'maven-compiler-plugin',
  'maven-surefire-plugin',
  'maven-jar-plugin',
  'junit-jupiter',
  'junit-platform-launcher',
] as const;

/** What the Java templates read besides the base context (kit/context.ts). */
export interface JavaContext {
  /** Java major of the runtime image, also `maven.compiler.release`. */
  javaRelease: string;
  versions: Record<(typeof PINNED)[number], string>;
  managedPlugins: readonly string[];
  /** The runtime's ENTRYPOINT (exec form); CMD adds `-jar /app/<name>.jar`. */
  entrypoint: string[];
}

/** The Java major chosen (the runtime version answer). */
export function javaRelease(options: Options): string {
  return options.runtimeVersion;
}

export function javaContext(options: Options): JavaContext {
  const versions = Object.fromEntries(PINNED.map((key) => [key, pinned(options.versions, key)])) as JavaContext['versions'];
  return {
    javaRelease: javaRelease(options),
    versions,
    managedPlugins: MANAGED_PLUGINS,
    entrypoint: [
      '/usr/bin/java',
      '-XX:-UsePerfData',
      ...(options.certBundle ? ['-Djavax.net.ssl.trustStore=/etc/ssl/certs/java-truststore'] : []),
    ],
  };
}
