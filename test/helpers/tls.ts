/**
 * A throwaway certificate authority and a server certificate it signed, made with the openssl
 * command line (Debian's openssl package), for tests of HTTPS: the daemon's own TLS and nginx in
 * front of it. The server certificate names 127.0.0.1 and localhost, so clients connect by address.
 */
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

export interface TlsFiles {
  /** PEM certificate of the CA: what clients trust (--cacert, ANKAGIT_CA_FILE). */
  caCert: string
  /** PEM certificate of the server (signed by the CA) and its key. */
  cert: string
  key: string
}

/** Writes ca.pem, cert.pem and key.pem (plus the CA's key) into dir, which must exist. */
export function makeTlsFiles(dir: string): TlsFiles {
  const f = (name: string) => path.join(dir, name)
  const openssl = (args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? ''
      throw new Error(`openssl ${args[0]} failed: ${(err as Error).message}\n${stderr}`)
    }
  }
  // EC P-256 keys: generated in under 10 ms, where RSA 2048 took 0.1-0.3 s here (openssl genpkey, 3 runs).
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl(['req', '-x509', ...ecKey, '-keyout', f('ca-key.pem'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=ankagit test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
  openssl(['req', '-new', ...ecKey, '-keyout', f('key.pem'), '-out', f('server.csr'), '-subj', '/CN=localhost'])
  fs.writeFileSync(f('server.ext'), [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '',
  ].join('\n'))
  openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca-key.pem'), '-CAcreateserial',
    '-out', f('cert.pem'), '-days', '2', '-extfile', f('server.ext')])
  return { caCert: f('ca.pem'), cert: f('cert.pem'), key: f('key.pem') }
}
