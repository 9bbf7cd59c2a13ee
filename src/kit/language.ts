import type { Options } from '../options/types.ts';
import { baseContext, type BaseContext } from './context.ts';
import { MANAGER_FILES, type FileEntry } from './files.ts';
import { onboardingContext, type OnboardingContext } from './onboarding.ts';
import { kitManager, type ImageTooling, type KitManager, type ManagerSpec } from './manager.ts';
import { renderFiles } from './render.ts';
import type { LanguageModule } from './types.ts';

/** A language as its folder declares it: choices, images, the context its templates add, its files. */
export interface LanguageSpec<Id extends string, Spec extends ManagerSpec, Context>
  extends Omit<LanguageModule<Id, Spec['value']>, 'managers' | 'defaultManager' | 'tools' | 'render'> {
  /** In prompt order; the first is the default. */
  managers: readonly Spec[];
  /** How the builder image installs a pinned tool and trusts a CA (the in-image lock). */
  tooling: ImageTooling;
  /** The language's own versions-table keys, after its managers' (the record lists them in this order). */
  tools: readonly string[];
  /** What the language's templates read besides the base context. */
  context(options: Options, base: BaseContext<KitManager<Spec>>): Context;
  /** Its files after README.md, Dockerfile and the dotfiles (templates under templates/<id>/). */
  files: ReadonlyArray<FileEntry<BaseContext<KitManager<Spec>> & Context & OnboardingContext>>;
}

export type KitLanguage<Id extends string, Spec extends ManagerSpec> = LanguageModule<Id, Spec['value']> & { managers: readonly KitManager<Spec>[] };

/** The plug-in the wizard reads, with one renderer for every language. */
export function defineLanguage<const Id extends string, const Spec extends ManagerSpec, Context>(spec: LanguageSpec<Id, Spec, Context>): KitLanguage<Id, Spec> {
  const managers = spec.managers.map((manager) => kitManager(manager, spec.tooling));
  if (managers.some((manager) => manager.files?.length) && !spec.files.includes(MANAGER_FILES)) {
    throw new Error(`${spec.value}: a manager has files of its own, but the file list has no MANAGER_FILES to place them`);
  }
  const { tooling: _tooling, context, files, ...choices } = spec;
  return {
    ...choices,
    managers,
    defaultManager: managers[0]!.value,
    tools: [...managers.flatMap((manager) => [...(manager.tool ? [manager.tool] : []), ...(manager.pins ?? [])]), ...spec.tools],
    render(options) {
      const manager = managers.find((candidate) => candidate.value === options.manager);
      if (!manager) throw new Error(`unknown ${spec.label} manager ${options.manager}`);
      const base = baseContext(options, manager);
      return renderFiles(spec.value, files, { ...base, ...context(options, base), ...onboardingContext(options, spec.onboarding, manager.devSetup) });
    },
  };
}
