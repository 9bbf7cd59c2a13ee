/**
 * The shape of one rule in the catalogue (src/audit/rules/): its id, what it checks and why, how
 * to fix it, the profiles it belongs to, and the check itself. `--explain` and docs/audit.md read
 * the same fields.
 */
import type { Dockerfile } from './dockerfile.ts';
import type { AuditContext, Finding, Profile, RuleId, Severity } from './types.ts';

/** The context after inference: language, manager and platform filled in from the Dockerfile. */
export interface RuleContext extends Omit<AuditContext, 'language' | 'manager' | 'profile'> {
  profile: Profile;
  language: string;
  /** The manager the caller named, or null (the rules then check whatever managers appear). */
  manager: string | null;
  /** A Windows image (POSIX user and package rules do not apply). */
  windows: boolean;
}

export interface Rule {
  id: RuleId;
  /** A few words, as in a rule list. */
  title: string;
  /** The worst severity it reports (some findings of an error rule are warnings). */
  severity: Severity;
  profiles: readonly Profile[];
  /** Why it matters, in a sentence or two. */
  rationale: string;
  /** What to do instead, with an example. */
  fix: string;
  /** Checks of other linters this one covers (e.g. `hadolint DL3002`), for teams comparing. */
  covers?: readonly string[];
  check(dockerfile: Dockerfile, context: RuleContext): Finding[];
}

export function finding(rule: RuleId, severity: Severity, line: number | undefined, message: string): Finding {
  return line === undefined ? { rule, severity, message } : { rule, severity, line, message };
}
