import { npm } from './npm.ts';
import { pnpm } from './pnpm.ts';

/** Every Node.js package manager, in prompt order (npm first: it ships with node). */
export const NODE_MANAGERS = [npm, pnpm] as const;
