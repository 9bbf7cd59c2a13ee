import type { ManagerSpec } from '../../kit/manager.ts';

/**
 * Go modules: go.mod + go.sum. The generated service uses the standard library only, so go.sum
 * is empty until a dependency is added; `go mod tidy` fills it, the build verifies it.
 */
export const modules = {
  value: 'modules',
  label: 'Go modules',
  hint: 'go.mod + go.sum, verified with go mod verify',
  rendersLock: true,
} as const satisfies ManagerSpec;
