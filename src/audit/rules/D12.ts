import { allInstructions, contextCopy, lineOf } from '../analysis.ts';
import { copyPaths, runCommands } from '../commands.ts';
import { keyValues } from '../dockerfile.ts';
import { finding, type Rule } from '../rule.ts';
import { credentialUrl, looksLikeSecretName, SECRET_FILES, TLS_OFF_ENV, tlsOffInCommand } from '../secrets.ts';
import type { Finding } from '../types.ts';

export const D12: Rule = {
  id: 'D12',
  title: 'absolute WORKDIR, COPY not ADD, TLS checks on, no secrets in ARG/ENV or layers',
  severity: 'error',
  profiles: ['generated'],
  rationale: 'ARG and ENV values and copied files stay in the image history for anyone who can pull it; ADD fetches and unpacks implicitly; `--trusted-host` and friends turn TLS off for the whole index.',
  fix: 'Pass credentials with `RUN --mount=type=secret,id=…`, trust the CA bundle instead of skipping verification, use COPY, and write WORKDIR as an absolute path.',
  check(d) {
    const findings: Finding[] = [];
    for (const instruction of allInstructions(d)) {
      const { keyword, line } = instruction;
      if (keyword === 'WORKDIR') {
        const path = instruction.words[0] ?? '';
        if (!path.startsWith('/') && !path.startsWith('$') && !/^[A-Za-z]:[\\/]/.test(path)) {
          findings.push(finding('D12', 'error', line, `\`WORKDIR ${path}\` is relative (it depends on the previous WORKDIR): use an absolute path such as \`/app\`.`));
        }
      }
      if (keyword === 'ADD') {
        findings.push(finding('D12', 'error', line, 'ADD fetches URLs and unpacks archives implicitly: use COPY (and a checked download in a RUN when you need a remote file).'));
      }
      if (keyword === 'ARG' || keyword === 'ENV') {
        for (const kv of keyValues(instruction)) {
          if (looksLikeSecretName(kv.key)) {
            findings.push(finding('D12', 'error', kv.line, `${keyword} \`${kv.key}\` looks like a secret, and ${keyword} values stay in the image history: pass it with \`RUN --mount=type=secret,id=…\` instead.`));
          }
          const tlsOff = TLS_OFF_ENV[kv.key.toUpperCase()];
          if (tlsOff && kv.value !== null && tlsOff(kv.value)) {
            findings.push(finding('D12', 'error', kv.line, `\`${kv.key}\` turns off TLS verification: trust the CA bundle (PIP_CERT, REQUESTS_CA_BUNDLE, SSL_CERT_FILE) instead.`));
          }
        }
      }
      if (['ARG', 'ENV', 'LABEL', 'RUN'].includes(keyword) && credentialUrl(instruction.args)) {
        findings.push(finding('D12', 'error', line, 'a URL carries `user:password@` credentials, which land in the image history: pass them with `RUN --mount=type=secret` (e.g. a netrc file).'));
      }
      if (contextCopy(instruction)) {
        const secret = copyPaths(instruction).sources.find((s) => SECRET_FILES.test(s.replace(/\/$/, '')));
        if (secret) findings.push(finding('D12', 'error', line, `\`${keyword} ${secret}\` puts a secret file in a layer: mount it with \`RUN --mount=type=secret\` where it is needed.`));
      }
      for (const c of runCommands(instruction)) {
        const tlsOff = tlsOffInCommand(c);
        if (tlsOff) findings.push(finding('D12', 'error', lineOf(instruction, tlsOff.replace(/`/g, '').split(' ').pop()!), `${tlsOff} turns off TLS verification: trust the CA bundle (PIP_CERT, REQUESTS_CA_BUNDLE, SSL_CERT_FILE) instead.`));
      }
    }
    return findings;
  },
};
