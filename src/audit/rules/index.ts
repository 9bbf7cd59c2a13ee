/**
 * The rule catalogue, one module per rule (as hadolint keeps them). Ids:
 * - D1-D16: the generated contract, numbered as in the design (shared/design/generated-output.md).
 * - Bnnn: the baseline for any Dockerfile; B1nn security, B2nn reproducibility, B3nn build
 *   hygiene and correctness. An id is never renumbered or reused; a retired rule keeps its number.
 * `--explain ID`, `--help` and docs/audit.md's rule list are generated from these entries.
 */
import type { Rule } from '../rule.ts';
import { D1 } from './D1.ts';
import { D2 } from './D2.ts';
import { D3 } from './D3.ts';
import { D4 } from './D4.ts';
import { D5 } from './D5.ts';
import { D6 } from './D6.ts';
import { D7 } from './D7.ts';
import { D8 } from './D8.ts';
import { D9 } from './D9.ts';
import { D10 } from './D10.ts';
import { D11 } from './D11.ts';
import { D12 } from './D12.ts';
import { D13 } from './D13.ts';
import { D14 } from './D14.ts';
import { D15 } from './D15.ts';
import { D16 } from './D16.ts';
import { B101 } from './B101.ts';
import { B102 } from './B102.ts';
import { B103 } from './B103.ts';
import { B104 } from './B104.ts';
import { B105 } from './B105.ts';
import { B106 } from './B106.ts';
import { B107 } from './B107.ts';
import { B108 } from './B108.ts';
import { B109 } from './B109.ts';
import { B110 } from './B110.ts';
import { B111 } from './B111.ts';
import { B112 } from './B112.ts';
import { B113 } from './B113.ts';
import { B201 } from './B201.ts';
import { B202 } from './B202.ts';
import { B203 } from './B203.ts';
import { B204 } from './B204.ts';
import { B205 } from './B205.ts';
import { B301 } from './B301.ts';
import { B302 } from './B302.ts';
import { B303 } from './B303.ts';
import { B304 } from './B304.ts';
import { B305 } from './B305.ts';
import { B306 } from './B306.ts';
import { B307 } from './B307.ts';
import { B308 } from './B308.ts';
import { B309 } from './B309.ts';
import { B310 } from './B310.ts';
import { B311 } from './B311.ts';
import { B312 } from './B312.ts';
import { B313 } from './B313.ts';
import { B314 } from './B314.ts';
import { B315 } from './B315.ts';
import { B316 } from './B316.ts';
import { B317 } from './B317.ts';
import { B318 } from './B318.ts';
import { B319 } from './B319.ts';
import { B320 } from './B320.ts';
import { B321 } from './B321.ts';

export const CATALOGUE: readonly Rule[] = [D1, D2, D3, D4, D5, D6, D7, D8, D9, D10, D11, D12, D13, D14, D15, D16, B101, B102, B103, B104, B105, B106, B107, B108, B109, B110, B111, B112, B113, B201, B202, B203, B204, B205, B301, B302, B303, B304, B305, B306, B307, B308, B309, B310, B311, B312, B313, B314, B315, B316, B317, B318, B319, B320, B321];

const BY_ID = new Map(CATALOGUE.map((rule) => [rule.id, rule]));

/** A rule by id, case-insensitively (`d5`, `b101`). */
export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id.toUpperCase());
}

/** Position in the catalogue, to sort findings of one line in a stable order. */
export const RULE_ORDER = new Map(CATALOGUE.map((rule, index) => [rule.id, index]));
