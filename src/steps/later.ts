// The steps after the prompts, in one module the wizard imports once the first question is on
// screen (run.ts): what runs after the answers is not loaded before the first prompt. Git and the
// lock tool's spawning are loaded later still, only when they run.
export { completeOptions } from './complete.ts';
export { pinImages } from './pin.ts';
export { checkTarget } from './target.ts';
export { renderFiles } from './render.ts';
export { confirmRun } from './confirm.ts';
export { writeFiles } from './write.ts';
export { lockProject } from './lock.ts';
export { nextSteps } from './next.ts';
export { present } from './notes.ts';
export { formatAnswers } from '../cli/summary.ts';
export { equivalentArgs } from '../options/command-line.ts';
export { formatTree } from '../write/tree.ts';
