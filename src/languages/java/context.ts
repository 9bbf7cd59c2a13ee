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

/** Everything the Java templates read: derived once from the options, never from the environment. */
export interface JavaContext {
  name: string;
  /** Java major of the runtime image, also `maven.compiler.release`. */
  javaRelease: string;
  images: { builder: string; runtime: string };
  certBundle: string | null;
  certPath: string;
  indexUrl: string | null;
  maintainer: string | null;
  ci: Options['ci'];
  gateList: readonly string[];
  versions: Record<(typeof PINNED)[number], string>;
  managedPlugins: readonly string[];
  /** The runtime's ENTRYPOINT (exec form); CMD adds `-jar /app/<name>.jar`. */
  entrypoint: string[];
  generatorVersion: string;
}

/** The Java major chosen (the runtime version answer). */
export function javaRelease(options: Options): string {
  return options.runtimeVersion;
}

export function javaContext(options: Options): JavaContext {
  const versions = Object.fromEntries(
    PINNED.map((key) => {
      const version = options.versions[key];
      if (!version) throw new Error(`no pinned version for ${key} in the versions table`);
      return [key, version];
    }),
  ) as JavaContext['versions'];
  return {
    name: options.name,
    javaRelease: javaRelease(options),
    images: options.images,
    certBundle: options.certBundle,
    certPath: options.certPath,
    indexUrl: options.indexUrl,
    maintainer: options.maintainer,
    ci: options.ci,
    gateList: options.gates,
    versions,
    managedPlugins: MANAGED_PLUGINS,
    entrypoint: [
      '/usr/bin/java',
      '-XX:-UsePerfData',
      ...(options.certBundle ? ['-Djavax.net.ssl.trustStore=/etc/ssl/certs/java-truststore'] : []),
    ],
    generatorVersion: options.generatorVersion,
  };
}
