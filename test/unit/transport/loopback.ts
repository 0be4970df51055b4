/**
 * The real request handler on 127.0.0.1 with port 0, for loopback tests (git's lib-git-daemon.sh,
 * desync's httptest.NewServer). Not a test file itself.
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHandler, type HandlerOptions } from '../../../src/transport/server.js'
import type { Registry } from '../../../src/transport/registry.js'

export interface Loopback {
  base: string
  url(repo: string): string
  close(): Promise<void>
}

export async function startServer(registry: Registry, opts: HandlerOptions = {}): Promise<Loopback> {
  const handler = createHandler(registry, opts)
  const server = http.createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    base,
    url: (repo) => `${base}/${repo}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await handler.close()
    },
  }
}

/** One raw request, for hostile-input tests: returns status, headers and body. */
export async function rawRequest(url: string, o: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; json?: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const parts: Buffer[] = []
      res.on('data', (d) => parts.push(d))
      res.on('end', () => {
        const body = Buffer.concat(parts)
        let json: unknown
        try {
          json = JSON.parse(body.toString('utf8'))
        } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(o.body)
  })
}
