import { allInstructions } from '../analysis.ts';
import { mounts, type Instruction } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import type { Finding } from '../types.ts';

/**
 * The flags buildah 1.28 accepts (checked with buildah 1.28.2: "COPY only supports the --chmod
 * --chown and the --from flags", "ADD only supports --chmod and --chown", "RUN only supports the
 * --mount flag"); BuildKit accepts more. A flag outside these lists builds with only one of them.
 */
const BUILDAH_FLAGS: Record<string, string[]> = { COPY: ['chmod', 'chown', 'from'], ADD: ['chmod', 'chown'], RUN: ['mount'], FROM: ['platform'] };
const BUILDAH_SECRET_OPTIONS = new Set(['type', 'id', 'target', 'dst', 'destination', 'required', 'mode', 'uid', 'gid']);

export const D16: Rule = {
  id: 'D16',
  title: 'builds unchanged with BuildKit and buildah 1.28 (Podman, OpenShift)',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'Teams build the same Dockerfile with Docker and with Podman/OpenShift; buildah 1.28 rejects relative mount targets, here-documents and several BuildKit-only flags.',
  fix: 'Write mount targets as absolute paths, keep to COPY --from/--chown/--chmod and RUN --mount, and put scripts in files instead of here-documents.',
  check(d) {
    const findings: Finding[] = [];
    const missing = (instruction: Instruction, line: number, feature: string) =>
      findings.push(finding('D16', 'error', line, `${feature} is not supported by buildah 1.28 (Podman, OpenShift): ${instruction.keyword === 'COPY' || instruction.keyword === 'ADD' ? 'use a plain COPY' : 'drop it'} so the Dockerfile builds with both BuildKit and buildah.`));
    for (const instruction of allInstructions(d)) {
      for (const mount of mounts(instruction)) {
        const target = mount.options.target ?? mount.options.dst ?? mount.options.destination;
        const type = mount.options.type ?? 'bind';
        if (target !== undefined && !target.startsWith('/') && !target.startsWith('$')) {
          // Tried with buildah 1.28.2: relative bind/cache/tmpfs targets fail the build; a relative
          // secret target is accepted and mounted under / (BuildKit resolves other mounts from WORKDIR).
          const effect = type === 'secret' ? 'so where it lands depends on the builder (buildah 1.28 mounts it under /)' : 'which buildah rejects';
          findings.push(finding('D16', 'error', mount.line, `the ${type} mount target \`${target}\` is relative, ${effect}: write it as an absolute path (e.g. \`/app/${target.replace(/^\.\//, '')}\`).`));
        }
        if (type === 'secret') {
          for (const option of Object.keys(mount.options).filter((o) => !BUILDAH_SECRET_OPTIONS.has(o))) missing(instruction, mount.line, `the secret mount option \`${option}=\``);
        }
      }
      const allowed = BUILDAH_FLAGS[instruction.keyword];
      if (allowed) {
        for (const f of instruction.flags.filter((x) => !allowed.includes(x.name))) {
          missing(instruction, f.line, `\`${instruction.keyword} --${f.name}${f.value !== null && instruction.keyword === 'RUN' ? `=${f.value}` : ''}\``);
        }
      }
      const chmod = instruction.flags.find((f) => f.name === 'chmod');
      if (chmod?.value && !/^[0-7]{3,4}$/.test(chmod.value)) missing(instruction, chmod.line, `\`--chmod=${chmod.value}\` (non-octal)`);
      // buildah 1.28 reads a here-document's body as instructions.
      for (const heredoc of instruction.heredocs) missing(instruction, heredoc.line, `the here-document \`<<${heredoc.name}\``);
      // buildah writes OCI images by default, which have no field for these (it warns and drops them).
      if (['HEALTHCHECK', 'ONBUILD', 'SHELL'].includes(instruction.keyword)) {
        findings.push(finding('D16', 'warning', instruction.line, `${instruction.keyword} is dropped by buildah's default OCI image format: rely on the platform's probes instead, or build with \`--format docker\`.`));
      }
    }
    return findings;
  },
};
