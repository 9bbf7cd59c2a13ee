/**
 * What looks like a credential in a Dockerfile: names of ARG/ENV, URLs with a password, files that
 * hold secrets, and settings that switch TLS verification off. Shared by D12 and the baseline rules.
 */
import type { ShellCommand } from './shell.ts';

const SECRET_PART = /^(PASSWORD|PASSWD|PASS|PASSPHRASE|PWD|TOKEN|TOKENS|SECRET|SECRETS|KEY|APIKEY|CREDENTIAL|CREDENTIALS|CREDS|NETRC|PAT|AUTH)$/;
const SECRET_INSIDE = /(PASSWORD|TOKEN|SECRET|APIKEY|CREDENTIAL)/;
/** Names for where a secret is, or about it, not the secret itself. */
const NOT_A_SECRET_SUFFIX = /_(FILE|PATH|DIR|NAME|URL|URI|HOST|PORT|SOCK|SOCKET|TYPE|MODE|METHOD|ENABLED|REQUIRED|ID|IDS|SERVER|USER|USERNAME|HEADER|VERSION|LENGTH|EXPIRY|TTL)$/;
/** Credentials whose name ends like an identifier but are half of a key pair. */
const ALWAYS_SECRET = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']);

/**
 * `PIP_INDEX_PASSWORD`, `NPM_TOKEN`, `GITHUB_PAT`, `NPM_AUTH`, `AWS_ACCESS_KEY_ID`: the name says it
 * holds a secret. Not `GPG_KEY`/`NGINX_GPGKEYS` (public key fingerprints that official images
 * set), `PWD`, `SSH_AUTH_SOCK`, or names ending in `_FILE`, `_PATH`, `_ID`, … that say where one is.
 */
export function looksLikeSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (ALWAYS_SECRET.has(upper)) return true;
  if (upper === 'PWD' || NOT_A_SECRET_SUFFIX.test(upper)) return false;
  const parts = upper.split(/[_.-]/);
  if (parts.some((part) => /GPG|PGP|PUBLIC|PUBKEY|KEYRING|KEYSERVER/.test(part))) return false;
  return parts.some((part) => SECRET_PART.test(part)) || SECRET_INSIDE.test(upper);
}

/**
 * The first `scheme://user:password@` in the text, or null. A scan from each `://`, not a regular
 * expression that would backtrack over a long line.
 */
export function credentialUrl(text: string): string | null {
  for (let at = text.indexOf('://'); at !== -1; at = text.indexOf('://', at + 3)) {
    if (!/[a-z0-9+.-]/i.test(text[at - 1] ?? '')) continue;
    let colon = -1;
    for (let i = at + 3; i < text.length; i++) {
      const c = text[i]!;
      if (c === '/' || c === ' ' || c === '\t' || c === '\n' || c === '"' || c === "'") break;
      if (c === ':' && colon === -1) colon = i;
      if (c === '@') {
        // user:password@ with both parts non-empty (a `${VAR}` password counts: it lands in the layer).
        if (colon > at + 3 && i > colon + 1) return text.slice(at + 3, i + 1);
        break;
      }
    }
  }
  return null;
}

/** Files that hold credentials: copying one puts it in a layer. */
export const SECRET_FILES = /(^|\/)(\.netrc|\.pypirc|\.env(\.(?!(example|sample|template|dist|defaults)$)[^/]*)?|\.git-credentials|\.dockercfg|id_rsa|id_ed25519|id_ecdsa|id_dsa|[^/]*\.key|[^/]*\.p12|[^/]*\.pfx|credentials\.json|\.aws\/credentials|\.docker\/config\.json)$/;

/** The same, for where a RUN writes (`> ~/.netrc`, `tee /root/.npmrc`). */
export const CREDENTIAL_TARGETS = /(^|\/)(\.netrc|\.pypirc|\.npmrc|\.yarnrc(\.yml)?|\.git-credentials|\.dockercfg|credentials|config\.json|settings\.xml|pip\.conf|\.pip\/pip\.conf|auth\.json|\.gradle\/gradle\.properties)$/;

/** ENV/ARG settings that switch TLS verification off, by name. */
export const TLS_OFF_ENV: Readonly<Record<string, (value: string) => boolean>> = {
  PIP_TRUSTED_HOST: () => true,
  UV_INSECURE_HOST: () => true,
  GIT_SSL_NO_VERIFY: (v) => !['', '0', 'false'].includes(v.toLowerCase()),
  NODE_TLS_REJECT_UNAUTHORIZED: (v) => v === '0',
  NPM_CONFIG_STRICT_SSL: (v) => ['false', '0'].includes(v.toLowerCase()),
  PNPM_CONFIG_STRICT_SSL: (v) => ['false', '0'].includes(v.toLowerCase()),
  PYTHONHTTPSVERIFY: (v) => v === '0',
  GOINSECURE: (v) => v !== '',
  GOFLAGS: (v) => /(^|\s)-insecure(\s|$)/.test(v),
  CURL_INSECURE: (v) => !['', '0', 'false'].includes(v.toLowerCase()),
};

/** The option of a command that turns TLS verification off, as written for a message, or null. */
export function tlsOffInCommand(c: ShellCommand): string | null {
  if (c.args.some((a) => a.startsWith('--trusted-host'))) return '`--trusted-host`';
  if (c.args.some((a) => a.startsWith('--allow-insecure-host'))) return '`--allow-insecure-host`';
  if (c.tool === 'curl' && c.args.some((a) => a === '-k' || a === '--insecure')) return '`curl --insecure`';
  if (c.tool === 'wget' && c.args.includes('--no-check-certificate')) return '`wget --no-check-certificate`';
  if (['npm', 'yarn', 'pnpm'].includes(c.tool) && c.args.includes('strict-ssl') && c.args.includes('false')) return '`strict-ssl false`';
  if (['npm', 'yarn', 'pnpm'].includes(c.tool) && c.args.some((a) => a === '--no-strict-ssl' || a === '--strict-ssl=false')) return '`--strict-ssl=false`';
  if (c.tool === 'git' && c.args.some((a) => /sslVerify=?false/i.test(a))) return '`http.sslVerify false`';
  return null;
}
