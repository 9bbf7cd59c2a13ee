import type { Files } from '../types.ts';
import type { Options } from '../../options/types.ts';
import { setDotfiles } from '../../kit/dotfiles.ts';
import { readTemplate, renderTemplate } from '../../kit/templates.ts';
import { goContext } from './context.ts';

/** Pure: options -> the Go project's files, in write order. Reads only the templates. */
export function renderGo(options: Options): Files {
  const context = goContext(options);
  const data = { ...context } as unknown as Record<string, unknown>;
  const files: Files = new Map();
  files.set('README.md', renderTemplate('go/README.md.ejs', data));
  files.set('Dockerfile', renderTemplate('go/Dockerfile.ejs', data));
  setDotfiles(files, 'go');
  files.set('go.mod', renderTemplate('go/go.mod.ejs', data));
  // Standard library only: no module to list yet. `go mod tidy` keeps the empty file.
  files.set('go.sum', '');
  files.set(`cmd/${options.name}/main.go`, renderTemplate('go/cmd/main.go.ejs', data));
  files.set('internal/server/server.go', readTemplate('go/internal/server/server.go'));
  if (context.gates.test) files.set('internal/server/server_test.go', readTemplate('go/internal/server/server_test.go'));
  return files;
}
