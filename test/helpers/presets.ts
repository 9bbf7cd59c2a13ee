/** The team preset of the design brief, with real values in place of its "..." placeholders. */
export const TEAM_PRESET = {
  $schema: './node_modules/create-hardened-service/schema/preset.schema.json',
  defaults: {
    registry: 'registry.example.com/base',
    certBundle: 'registry.example.com/base/ca-bundle:20220405',
    certPath: '/certs/',
    indexUrl: 'https://nexus.example.com/pypi/simple',
    manager: 'poetry',
    gates: ['typecheck', 'format', 'test'],
    ci: 'gitlab',
    maintainer: 'Team Foo <foo@example.com>',
    builderImage: 'registry.example.com/base/python:3.13-slim-trixie',
    runtimeImage: 'registry.example.com/base/distroless/python3-debian13:nonroot',
    python: '3.13',
  },
  locked: ['registry', 'certBundle'],
  versions: { pipenv: '2024.0.1', black: '25.1.0' },
};
