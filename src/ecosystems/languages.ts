/**
 * Facts about a language's images and tools that a Dockerfile check needs and that fix suggestions
 * name, so a Go file is told about Go's images and caches, not Python's.
 */
export interface LanguageFacts {
  label: string;
  /** A distroless runtime base for this language (the public one; teams mirror it). */
  distroless: string;
  /** What the runtime stage copies from the build, as an example. */
  runtimeCopy: string;
  /** An exec-form command line, as an example. */
  execForm: string;
  /** Paths the build context must leave out (a sample path, and the .dockerignore line). */
  dockerignore: ReadonlyArray<{ path: string; pattern: string }>;
}

export const LANGUAGE_FACTS = {
  python: {
    label: 'Python',
    distroless: 'gcr.io/distroless/python3-debian13:nonroot',
    runtimeCopy: 'COPY --from=builder /app/deps/ /app/deps/',
    execForm: '["python3", "-m", "app"]',
    dockerignore: [
      { path: '.venv', pattern: '.venv' },
      { path: 'src/pkg/__pycache__', pattern: '**/__pycache__' },
      { path: '.mypy_cache', pattern: '.mypy_cache' },
      { path: '.pytest_cache', pattern: '.pytest_cache' },
    ],
  },
  go: {
    label: 'Go',
    distroless: 'gcr.io/distroless/static-debian13:nonroot',
    runtimeCopy: 'COPY --from=build /out/app /app/app',
    execForm: '["/app/app"]',
    dockerignore: [{ path: 'internal/pkg/pkg.test', pattern: '**/*.test' }],
  },
  node: {
    label: 'Node.js',
    distroless: 'gcr.io/distroless/nodejs24-debian13:nonroot',
    runtimeCopy: 'COPY --from=build /app/dist/ /app/dist/',
    execForm: '["/app/dist/main.js"]',
    dockerignore: [{ path: 'node_modules', pattern: 'node_modules' }],
  },
  java: {
    label: 'Java',
    distroless: 'gcr.io/distroless/java21-debian13:nonroot',
    runtimeCopy: 'COPY --from=package /app/target/app.jar /app/app.jar',
    execForm: '["java", "-jar", "/app/app.jar"]',
    dockerignore: [{ path: 'target', pattern: '**/target' }],
  },
  unknown: {
    label: 'this language',
    distroless: 'gcr.io/distroless/static-debian13:nonroot',
    runtimeCopy: 'COPY --from=build /out/ /app/',
    execForm: '["/app/server"]',
    dockerignore: [],
  },
} as const satisfies Readonly<Record<string, LanguageFacts>>;

/** A language the ecosystems know (a new language is a new row above). */
export type LanguageId = Exclude<keyof typeof LANGUAGE_FACTS, 'unknown'>;

/** Where a tool keeps its cache, so a gate RUN can mount it (`--mount=type=cache,target=…`). */
export const TOOL_CACHES: Readonly<Record<string, { pattern: RegExp; target: string }>> = {
  mypy: { pattern: /mypy/, target: '/app/.mypy_cache' },
  pytest: { pattern: /pytest/, target: '/app/.pytest_cache' },
  ruff: { pattern: /ruff/, target: '/app/.ruff_cache' },
  go: { pattern: /go-build/, target: '/root/.cache/go-build' },
  staticcheck: { pattern: /staticcheck/, target: '/root/.cache/staticcheck' },
};
