export type Severity = 'error' | 'warning';

/**
 * `generated`: the contract of a Dockerfile this tool generated (rules D1-D16 of the design, stage
 * names included). `baseline`: what any Dockerfile should meet, whatever its stages are called.
 */
export const PROFILES = ['generated', 'baseline'] as const;
export type Profile = (typeof PROFILES)[number];

/** The generated contract's rules, as the design numbers them. */
export const RULE_IDS = ['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7', 'D8', 'D9', 'D10', 'D11', 'D12', 'D13', 'D14', 'D15', 'D16'] as const;
/** A rule's id: D1-D16 (generated contract) or Bnnn (baseline; see src/audit/rules/index.ts). */
export type RuleId = string;

/** One problem: which rule, how bad, where, and in one sentence what is wrong and how to fix it. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** 1-based line in the Dockerfile (absent for whole-file findings such as D15). */
  line?: number;
  message: string;
}

/** A finding an inline `# audit-ignore` comment silenced, with the reason it gives. */
export interface Suppressed extends Finding {
  reason: string;
}

/** What the caller knows about the project; everything is optional (the audit then infers). */
export interface AuditContext {
  /** Which rules apply; `generated` when not given (the contract this tool's own tests hold). */
  profile?: Profile;
  /** A CA bundle stage is expected (D2); false/undefined = not required. */
  certBundle?: boolean;
  /** `.dockerignore` text for D15; null = the file is missing; undefined = do not check D15. */
  dockerignore?: string | null;
  /** `python`, `node`, `go`, `java`…; inferred from the Dockerfile when absent. */
  language?: string;
  /** `pipenv`, `poetry`, `uv`, `pip-tools`; when given, D6/D7 require its locked installs. */
  manager?: string;
  /** Gates the test stage must run (`typecheck`, `format`, `lint`, `security`, `test`, `bdd`). */
  gates?: readonly string[];
  /** Runtime base images accepted as distroless for D9 (names, with or without tag/digest). */
  runtimeAllowed?: readonly string[];
  /**
   * The `# syntax=` image the project record names (D1 accepts it, e.g. a mirrored
   * `registry.example.com/base/docker/dockerfile:1`); null = deliberately no syntax line;
   * undefined = no record (the official frontend is expected).
   */
  syntax?: string | null;
}
