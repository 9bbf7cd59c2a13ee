import { ECOSYSTEMS } from '../../ecosystems/index.ts';
import { lockEvents } from '../analysis.ts';
import { keyValues } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

export const D6: Rule = {
  id: 'D6',
  title: 'the lock is enforced, never resolved anew in the build',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'An install that may resolve again when the lock is stale (pipenv without --deploy, npm install, uv sync without --locked) builds different dependencies than the ones reviewed and tested.',
  fix: 'Install with the manager\'s locked form: `pipenv install --deploy`, `poetry check --lock && poetry install`, `uv sync --locked`, `pip install --require-hashes -r requirements.txt`, `npm ci`, `pnpm install --frozen-lockfile`, `go mod download && go mod verify`.',
  check(d, context) {
    const findings: Finding[] = [];
    const enforced = new Set<string>();
    for (const event of lockEvents(d)) {
      if (event.kind === 'relock') {
        const how = event.ecosystem.lockFiles.length === 0 ? `change them in ${event.ecosystem.manifests[0]} and commit it` : 'lock on the host, commit the lock, and only install from it here';
        findings.push(finding('D6', 'error', event.line, `\`${event.command.words.join(' ')}\` ${event.why} during the build: ${how}.`));
        continue;
      }
      if (event.kind !== 'unenforced') enforced.add(event.ecosystem.id);
      if (event.kind !== 'enforced') findings.push(finding('D6', event.kind === 'weak' ? 'warning' : 'error', event.line, `${event.why}.`));
    }
    for (const kv of d.instructions.filter((i) => i.keyword === 'ENV').flatMap((i) => keyValues(i))) {
      if (kv.key === 'GOFLAGS' && kv.value && /(^|\s)-mod=mod(\s|$)/.test(kv.value)) {
        findings.push(finding('D6', 'error', kv.line, '`GOFLAGS=-mod=mod` lets every go command rewrite go.mod and go.sum during the build: use `-mod=readonly` so a stale go.sum fails.'));
      }
    }
    const manager = context.manager ? ECOSYSTEMS.find((e) => e.id === context.manager) : undefined;
    if (manager && !enforced.has(manager.id)) {
      const note = manager.lockFiles.length === 0 ? ` after copying ${manager.manifests[0]} (${manager.label} has no lock file: the pins in ${manager.manifests[0]} are the lock)` : '';
      findings.push(finding('D6', 'error', undefined, `no ${manager.id} install enforces the lock: install dependencies with \`${manager.examples.install}\`${note}.`));
    }
    return findings;
  },
};
