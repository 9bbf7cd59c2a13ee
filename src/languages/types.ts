// The plug-in contract lives in the kit, below the languages; the wizard and the tasks import it from here.
export type { Choice, Command, Files, GateChoice, LanguageModule, ManagerModule } from '../kit/types.ts';
