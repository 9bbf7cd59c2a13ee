import { LANGUAGE_FACTS, type LanguageId } from '../../ecosystems/index.ts';
import { isIgnored, parseDockerignore } from '../dockerignore.ts';
import { finding, type Rule } from '../rule.ts';

/** What every build context must leave out, whatever the language. */
export const ALWAYS_IGNORED = [
  { path: '.git', pattern: '.git' },
  { path: '.env', pattern: '.env' },
];

export const D15: Rule = {
  id: 'D15',
  title: 'a .dockerignore keeps .git, .env, environments and caches out of the context',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'Everything in the context is sent to the builder and can end up in a layer: `.git` history, `.env` secrets, a local virtualenv or node_modules, and caches that also bust the layer cache.',
  fix: 'Add a .dockerignore beside the Dockerfile with `.git`, `.env`, and the language\'s environment and cache directories (`**/__pycache__`, `node_modules`, `**/target`, …).',
  check(_d, context) {
    if (context.dockerignore === undefined) return [];
    if (context.dockerignore === null) {
      return [finding('D15', 'error', undefined, 'there is no .dockerignore, so .git, virtualenvs, caches and .env files are sent to the builder: add one.')];
    }
    const patterns = parseDockerignore(context.dockerignore);
    const language = context.language in LANGUAGE_FACTS ? (context.language as LanguageId) : 'unknown';
    const needs = [...ALWAYS_IGNORED, ...LANGUAGE_FACTS[language].dockerignore];
    const missing = needs.filter((n) => !isIgnored(patterns, n.path)).map((n) => n.pattern);
    if (missing.length === 0) return [];
    const anchored = missing.some((m) => m.startsWith('**/')) ? ' (a pattern without `**/` matches only at the root of the context)' : '';
    return [finding('D15', 'error', undefined, `.dockerignore does not exclude ${missing.join(', ')}: add ${missing.length === 1 ? 'that line' : 'those lines'}${anchored} so they never reach the build context.`)];
  },
};
