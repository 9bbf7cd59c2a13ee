/** The quality gates a generated service can run in its test stage, cheapest first. */
export const GATES = ['typecheck', 'format', 'lint', 'security', 'test', 'bdd'] as const;
export type Gate = (typeof GATES)[number];

/** The CI pipelines a service can get. */
export const CI_KINDS = ['github', 'gitlab', 'none'] as const;
export type CiKind = (typeof CI_KINDS)[number];
