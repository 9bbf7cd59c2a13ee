import * as p from '@clack/prompts';
import pc from 'picocolors';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { LANGUAGES, languageById } from '../languages/index.ts';
import { checkAnswer, defaultAnswer, type Settled } from '../options/resolve.ts';
import { targetProblem } from '../write/target.ts';
import type { AnswerKey, Answers, Gate } from '../options/types.ts';

export const CANCELLED = Symbol('cancelled');

export interface PromptContext extends Settled {
  cwd: string;
  force: boolean;
  input: Readable;
  output: Writable;
  /** Aborted by a terminating signal: the open prompt closes as a cancel and restores the terminal. */
  signal?: AbortSignal;
}

/** Shorten a validation error for inline display: drop the "flag: value" lead. */
function inline(error: unknown): string {
  // The value is shown JSON-quoted, so it may hold escaped quotes (\").
  return (error as Error).message.replace(/^[^:]+: ("(?:[^"\\]|\\.)*" )?/, '');
}

/**
 * Ask for every answer not fixed by a flag or a locked preset key, in answer order, each with a
 * one-line hint and inline validation. Returns CANCELLED on Esc/Ctrl-C at any prompt.
 */
export async function promptAnswers(ctx: PromptContext): Promise<Partial<Answers> | typeof CANCELLED> {
  const io = { input: ctx.input, output: ctx.output, signal: ctx.signal };
  const answers: Partial<Answers> = { ...ctx.fixed };
  const asked = (key: AnswerKey) => ctx.fixed[key] === undefined;
  const initial = <K extends AnswerKey>(key: K): Answers[K] => {
    if (ctx.suggested[key] !== undefined) return ctx.suggested[key] as Answers[K];
    try {
      return defaultAnswer(key, answers, ctx.cwd);
    } catch {
      return '' as Answers[K];
    }
  };
  const validated = (key: AnswerKey) => (value: string | undefined) => {
    try {
      checkAnswer(key, value ?? '', key, answers);
      return undefined;
    } catch (error) {
      return inline(error);
    }
  };
  const optionalText = async (key: 'registry' | 'certBundle' | 'indexUrl' | 'maintainer', message: string, placeholder: string) => {
    const current = initial(key);
    const value = await p.text({
      ...io,
      message,
      placeholder,
      initialValue: current ?? '',
      validate: (raw) => (raw ? validated(key)(raw) : undefined),
    });
    if (p.isCancel(value)) return CANCELLED;
    (answers as Record<string, unknown>)[key] = value ? checkAnswer(key, value, key, answers) : null;
    return undefined;
  };

  p.intro(pc.inverse(' create-hardened-service '), io);

  if (asked('directory')) {
    const value = await p.text({
      ...io,
      message: `Where should the service go? ${pc.dim('a new or empty directory')}`,
      placeholder: 'my-service',
      defaultValue: 'my-service',
      validate: (raw) => {
        const dir = raw || 'my-service';
        const problem = validated('directory')(dir);
        if (problem) return problem;
        return targetProblem(dir, resolve(ctx.cwd, dir), ctx.force);
      },
    });
    if (p.isCancel(value)) return CANCELLED;
    answers.directory = checkAnswer('directory', value || 'my-service', 'directory', answers);
  }

  if (asked('name')) {
    const value = await p.text({
      ...io,
      message: `Service name? ${pc.dim('image and package name, a DNS label')}`,
      initialValue: initial('name'),
      validate: validated('name'),
    });
    if (p.isCancel(value)) return CANCELLED;
    answers.name = value;
  }

  if (asked('language')) {
    const value = await p.select({
      ...io,
      message: `Language? ${pc.dim('decides the build, the gates and the runtime image')}`,
      options: LANGUAGES.map(({ value, label, hint }) => ({ value, label, hint })),
      initialValue: initial('language'),
    });
    if (p.isCancel(value)) return CANCELLED;
    answers.language = value;
  }
  const language = languageById(answers.language ?? initial('language'))!;

  // A question with one possible answer is not asked (Go has one manager, Java one gate).
  if (asked('manager') && language.managers.length === 1) answers.manager = language.managers[0]!.value;
  else if (asked('manager')) {
    const value = await p.select({
      ...io,
      message: `Dependency manager? ${pc.dim('it locks every dependency with hashes')}`,
      options: language.managers.map(({ value, label, hint }) => ({ value, label, hint })),
      initialValue: initial('manager'),
    });
    if (p.isCancel(value)) return CANCELLED;
    answers.manager = value;
  }

  if (asked('runtimeVersion')) {
    const value = await p.select({
      ...io,
      message: `${language.label} version? ${pc.dim('builder and runtime images carry the same one')}`,
      options: language.runtimeVersions.map(({ value, label, hint }) => ({ value, label, hint })),
      initialValue: initial('runtimeVersion'),
    });
    if (p.isCancel(value)) return CANCELLED;
    answers.runtimeVersion = value;
  }

  if (asked('registry')) {
    const cancelled = await optionalText(
      'registry',
      `Internal registry for base images? ${pc.dim('host[:port][/path]; empty = public images')}`,
      'registry.example.com/base',
    );
    if (cancelled) return cancelled;
  }

  if (asked('certBundle')) {
    const cancelled = await optionalText(
      'certBundle',
      `CA certificate bundle image? ${pc.dim('for a TLS-intercepting proxy or internal CAs; empty = none')}`,
      'registry.example.com/base/ca-bundle:20220405',
    );
    if (cancelled) return cancelled;
  }

  if (asked('certPath') && (answers.certBundle ?? null) !== null) {
    const value = await p.text({
      ...io,
      message: `Directory of the .crt files inside that image? ${pc.dim('absolute path')}`,
      initialValue: initial('certPath'),
      validate: validated('certPath'),
    });
    if (p.isCancel(value)) return CANCELLED;
    answers.certPath = checkAnswer('certPath', value, 'certPath', answers);
  }

  if (asked('indexUrl')) {
    const cancelled = await optionalText(
      'indexUrl',
      `${language.mirror.label}? ${pc.dim('https URL, no credentials (they go in a build secret); empty = public')}`,
      language.mirror.example,
    );
    if (cancelled) return cancelled;
  }

  if (asked('gates') && language.gates.length === 1) answers.gates = [language.gates[0]!.value];
  else if (asked('gates')) {
    const value = await p.multiselect<Gate>({
      ...io,
      message: `Quality gates the build must pass? ${pc.dim('space to toggle; they run before an image can exist')}`,
      options: language.gates.map(({ value, label, hint }) => ({ value, label, hint })),
      initialValues: initial('gates'),
      required: true,
    });
    if (p.isCancel(value)) return CANCELLED;
    answers.gates = checkAnswer('gates', value.join(','), 'gates', answers);
  }

  if (asked('ci')) {
    const value = await p.select({
      ...io,
      message: `CI pipeline? ${pc.dim('tests on every push, image on tags')}`,
      options: [
        { value: 'github', label: 'GitHub Actions', hint: '.github/workflows/ci.yml' },
        { value: 'gitlab', label: 'GitLab CI', hint: '.gitlab-ci.yml' },
        { value: 'none', label: 'None' },
      ],
      initialValue: initial('ci'),
    });
    if (p.isCancel(value)) return CANCELLED;
    answers.ci = value as Answers['ci'];
  }

  if (asked('maintainer')) {
    const cancelled = await optionalText(
      'maintainer',
      `Maintainer label? ${pc.dim('who to contact about the image; empty = none')}`,
      'Team Foo <foo@example.com>',
    );
    if (cancelled) return cancelled;
  }

  return answers;
}

/** A warning inside the wizard's frame. */
export function warn(message: string, output: Writable): void {
  p.log.warn(message, { output });
}

/** Show the settled answers and ask for a final yes. */
export async function confirmAnswers(summary: string, io: { input: Readable; output: Writable; signal?: AbortSignal }): Promise<boolean | typeof CANCELLED> {
  p.note(summary, 'Your service', io);
  const ok = await p.confirm({ ...io, message: 'Create it?', initialValue: true });
  if (p.isCancel(ok)) return CANCELLED;
  return ok;
}
