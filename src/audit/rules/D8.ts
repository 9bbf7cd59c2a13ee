import { commandsIn, finalStage, gateStages } from '../analysis.ts';
import { isTestCommand } from '../commands.ts';
import { finding, type Rule } from '../rule.ts';
import { stageClosure } from '../stages.ts';

export const D8: Rule = {
  id: 'D8',
  title: 'the runtime stage depends on the test stage',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'BuildKit and buildah build only the stages the target needs: a runtime stage that copies only from the builder never runs the tests, so a failing test still ships.',
  fix: 'Have the gate RUN write a marker and copy it into the runtime stage: `COPY --from=test /app/.gates-passed /app/`.',
  check(d) {
    const final = finalStage(d);
    if (!final) return [];
    const gates = gateStages(d).filter((s) => s !== final);
    if (gates.length === 0) {
      if (commandsIn(final.instructions).some((c) => isTestCommand(c.command))) return [];
      return [finding('D8', 'error', final.line, 'no stage runs the tests, so the default build ships untested code: add a test stage and make the runtime stage depend on it.')];
    }
    const needed = stageClosure(d, final);
    return gates
      .filter((g) => !needed.has(g))
      .map((g) =>
        finding('D8', 'error', final.line, `the runtime stage does not depend on the \`${g.name ?? g.index}\` stage, so a plain build skips the gates: copy a marker the gate RUN writes, e.g. \`COPY --from=${g.name ?? g.index} /app/.gates-passed /app/\`.`),
      );
  },
};
