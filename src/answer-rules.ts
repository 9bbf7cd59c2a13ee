// The answer rules bound to the languages this build offers: the one place where the options
// (which receive the registry) meet it. The runner hands these rules to every step.
import { LANGUAGES } from './languages/index.ts';
import { answerRules } from './options/resolve.ts';

export const RULES = answerRules(LANGUAGES);

export const checkAnswer = RULES.check;
export const defaultAnswer = RULES.defaultOf;
export const settle = RULES.settle;
export const completeAnswers = RULES.complete;
export const buildOptions = RULES.build;
