import { finding, type Rule } from '../rule.ts';

const OFFICIAL = /^(docker\.io\/)?docker\/dockerfile:\d+(\.\d+){0,2}(@sha256:[0-9a-f]{64})?$/;
/** A mirror of the official frontend: `REGISTRY/…/docker/dockerfile:N`. */
const MIRRORED = /^[^\s@]+\/docker\/dockerfile:\d+(\.\d+){0,2}(@sha256:[0-9a-f]{64})?$/;

const withoutDigest = (image: string) => image.replace(/@sha256:[0-9a-f]{64}$/, '');

export const D1: Rule = {
  id: 'D1',
  title: 'the first line pins the Dockerfile frontend',
  severity: 'error',
  profiles: ['generated'],
  rationale:
    'BuildKit resolves the `# syntax=` image before anything else, so the line decides which Dockerfile features every builder understands; where builds may only reach an internal registry, the frontend must come from its mirror or the line must be left out on purpose (recorded in .hardened-service.json).',
  fix: 'Make line 1 `# syntax=docker/dockerfile:1` (or `REGISTRY/docker/dockerfile:1` when you mirror it), or record `"syntax": "none"` in .hardened-service.json.',
  check(d, context) {
    const syntax = d.directives.find((x) => x.name === 'syntax');
    const recorded = context.syntax;
    if (!syntax) {
      if (recorded === null) return [];
      const wanted = recorded ?? 'docker/dockerfile:1';
      return [finding('D1', 'error', 1, `the first line is not a syntax directive: add \`# syntax=${wanted}\` as line 1 so every builder uses the same pinned frontend.`)];
    }
    const value = syntax.value;
    // The recorded mirror passes with or without the digest a later `pin` may add.
    const matchesRecord = typeof recorded === 'string' && MIRRORED.test(value) && withoutDigest(value) === withoutDigest(recorded);
    const ok = OFFICIAL.test(value) || matchesRecord;
    if (!ok) {
      const wanted = typeof recorded === 'string' ? `\`${recorded}\` as .hardened-service.json records` : '`docker/dockerfile:1` (or a minor such as 1.7)';
      return [finding('D1', 'error', syntax.line, `\`# syntax=${value}\` is not a pinned official frontend: use ${wanted}.`)];
    }
    if (syntax.line !== 1) {
      return [finding('D1', 'error', syntax.line, 'the syntax directive must be the very first line: move `# syntax=…` above the other directives.')];
    }
    return [];
  },
};
