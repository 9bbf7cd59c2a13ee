import { LANGUAGE_FACTS, pipInstallArgs, readPipInstall, type LanguageId } from '../../ecosystems/index.ts';
import { commandsIn, finalStage, testStage } from '../analysis.ts';
import { copyPaths, installsDevDependencies } from '../commands.ts';
import { flag, type Dockerfile, type Instruction, type Stage } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import { inheritedInstructions, lineage, stageByRef } from '../stages.ts';
import type { Finding } from '../types.ts';

const TEST_PATH = /(^|\/)(tests?|features|assets|spec|specs|__tests__|conftest\.py|testdata|test-classes|surefire-reports)(\/|$)/;
const BUILD_DIR = /(^|\/)(target|\.m2)\/?$/;
const GO_SOURCE_DIR = /^(cmd|internal|pkg|\.|\*)(\/|$)/;
const GO_BUILD_PATH = /(\.go$|(^|\/)go\.(mod|sum)$|(^|\/)go\/pkg(\/|$)|\.cache\/go-build|(^|\/)usr\/local\/go(\/|$))/;
const ENVIRONMENT_PATH = /(^|\/)(\.?venv|site-packages|node_modules)(\/|$)/;

/** Per-stage answers, computed once per stage however many COPY lines ask. */
interface StageFacts {
  workdir: string;
  devInstall: Instruction | undefined;
  dropsPip: boolean;
}

function stageFacts(d: Dockerfile, stage: Stage, cache: Map<Stage, StageFacts>): StageFacts {
  let facts = cache.get(stage);
  if (!facts) {
    const inherited = inheritedInstructions(d, stage);
    const workdirs = inherited.filter((i) => i.keyword === 'WORKDIR');
    const commands = commandsIn(inherited);
    facts = {
      workdir: (workdirs[workdirs.length - 1]?.words[0] ?? '/').replace(/\/+$/, '') || '/',
      devInstall: commands.find(({ command }) => installsDevDependencies(command))?.instruction,
      dropsPip: commands.some(({ command: c }) => {
        if (c.tool === 'rm' && c.args.some((a) => /(^|\/)pip([-*]|\/|$)/.test(a))) return true;
        if (/^pip/.test(c.tool) && c.args[0] === 'uninstall' && c.args.includes('pip')) return true;
        if (c.args.includes('--without-pip')) return true;
        // uv makes its environments without pip (unless asked to --seed one).
        if (c.tool === 'uv' && ['sync', 'venv'].includes(c.args[0] ?? '') && !c.args.includes('--seed')) return true;
        const pip = pipInstallArgs(c);
        return pip !== null && readPipInstall(pip).options.some((o) => o === '--target' || o === '-t' || o.startsWith('--target='));
      }),
    };
    cache.set(stage, facts);
  }
  return facts;
}

/** True when `path` is the root or the WORKDIR of a stage (or `.`, which means that WORKDIR). */
function isWorkdir(workdir: string, path: string): boolean {
  const clean = path.replace(/\/+$/, '') || '/';
  return ['/', '.', '*', workdir, `${workdir}/*`, `${workdir}/.`].includes(clean);
}

export const D14: Rule = {
  id: 'D14',
  title: 'no test code, dev dependencies or build material in the runtime image',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'What is in the runtime image is attack surface and download size: tests, fixtures, dev tools, a whole virtualenv with pip, a Go toolchain or a Maven repository do not run the service.',
  fix: 'Start the runtime stage from its own base and COPY only what runs: the production packages, the compiled binary, the jar, `src/`.',
  check(d, context) {
    const final = finalStage(d);
    if (!final) return [];
    const findings: Finding[] = [];
    const test = testStage(d);
    const chain = lineage(d, final);
    const cache = new Map<Stage, StageFacts>();
    const language = LANGUAGE_FACTS[(context.language in LANGUAGE_FACTS ? context.language : 'unknown') as LanguageId | 'unknown'];
    if (test && test !== final && chain.includes(test)) {
      findings.push(finding('D14', 'error', final.line, `the runtime stage is built on \`${test.name ?? test.index}\`, so test code and dev dependencies ship: start it from the runtime base and COPY only what runs.`));
    }
    for (const instruction of inheritedInstructions(d, final).filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
      const { sources } = copyPaths(instruction);
      const from = flag(instruction, 'from')?.value;
      const fromStage = from ? stageByRef(d, from, instruction.stage) : undefined;
      const facts = fromStage ? stageFacts(d, fromStage, cache) : undefined;
      const afterTests = fromStage !== undefined && test !== undefined && lineage(d, fromStage).includes(test);
      for (const source of sources) {
        const clean = source.replace(/^\.\//, '');
        // Go: the runtime needs the compiled binary only, never source, module cache or toolchain.
        if (context.language === 'go' && ((!from && GO_SOURCE_DIR.test(clean)) || GO_BUILD_PATH.test(clean))) {
          findings.push(finding('D14', 'error', instruction.line, `\`${source}\` is Go source or build material, which the runtime image does not need: copy only the compiled binary from the build stage.`));
          continue;
        }
        if (!from && ['.', './', '*', './*'].includes(source)) {
          const example = context.language === 'python' || context.language === 'unknown' ? 'COPY src/ /app/src/' : language.runtimeCopy;
          findings.push(finding('D14', 'error', instruction.line, `\`${instruction.keyword} ${source}\` copies the whole context (tests, features, assets) into the runtime image: copy only what runs, e.g. \`${example}\`.`));
        } else if (from && BUILD_DIR.test(clean)) {
          findings.push(finding('D14', 'error', instruction.line, `\`${source}\` is the whole build directory (test classes, reports, or the Maven repository): copy only the jar, e.g. \`COPY --from=${from} /app/target/app.jar /app/\`.`));
        } else if (TEST_PATH.test(clean)) {
          findings.push(finding('D14', 'error', instruction.line, `\`${source}\` is test material and must not reach the runtime image: copy only the application source.`));
        } else if (fromStage && facts && isWorkdir(facts.workdir, clean) && (facts.devInstall || afterTests)) {
          // A compiled language's build stage after the gates holds tests and dev dependencies too.
          findings.push(finding('D14', 'error', instruction.line, `\`${source}\` is the whole working directory of the \`${fromStage.name ?? fromStage.index}\` stage, with its tests and dev dependencies: copy only the build output (e.g. \`${language.runtimeCopy}\`).`));
        } else if (fromStage && facts && ENVIRONMENT_PATH.test(clean) && (facts.devInstall || afterTests)) {
          const why = facts.devInstall ? `which installed dev dependencies (line ${facts.devInstall.line})` : 'the test stage';
          findings.push(finding('D14', 'error', instruction.line, `\`${source}\` comes from the \`${fromStage.name ?? fromStage.index}\` stage, ${why}: copy the production environment from a stage that installs only those.`));
        } else if (fromStage && facts && /(^|\/)\.?venv(\/|$)|site-packages/.test(clean) && !facts.dropsPip) {
          findings.push(finding('D14', 'warning', instruction.line, `\`${source}\` is a whole virtualenv, which carries pip and its _virtualenv hook into the runtime image: copy a clean directory of production packages only.`));
        }
      }
    }
    return findings;
  },
};
