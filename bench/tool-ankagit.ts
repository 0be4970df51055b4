/**
 * ankagit in a series of versions: its own VM folder (it keeps .ankagit inside, which the other
 * tools must not read) shows each version and is committed. Stored is the growth of
 * .ankagit/objects. On the wire: the push counters when this build has a transport
 * (ankagit-transport.ts); without one, the store growth, since a push sends the new objects' stored
 * frames as they are.
 */
import * as path from 'node:path'
import type { AnkagitCli } from './ankagit-cli.js'
import type { AnkagitTransport } from './ankagit-transport.js'
import type { BackupTool, VersionCost } from './backup-tool.js'
import { treeSize } from './bundle-facts.js'
import { PresentedTree, type Version } from './presented-tree.js'
import { withLoad } from './step.js'

export function ankagitTool(cli: AnkagitCli, transport?: AnkagitTransport): BackupTool {
  let vm: PresentedTree | undefined
  return {
    id: 'ankagit',
    label: 'ankagit (64 KiB fixed for images, FastCDC 16/64/256 KiB otherwise, zstd)',
    wireMethod: transport ? 'push counters (bytes sent)' : 'store growth (no push in this build)',
    async init(stateDir: string): Promise<void> {
      vm = new PresentedTree(path.join(stateDir, 'vm'))
      await cli.run(['init', '-q'], { cwd: vm.dir })
      if (transport) await transport.addRemote(vm.dir)
    },
    async record(v: Version): Promise<VersionCost> {
      if (!vm) throw new Error('ankagit tool used before init')
      await vm.show(v)
      const objects = path.join(vm.dir, '.ankagit', 'objects')
      const before = treeSize(objects).bytes
      const run = await withLoad(() => cli.run(['commit', '-m', v.name, '--json'], { cwd: vm!.dir }))
      const stored = treeSize(objects).bytes - before
      const wire = transport ? (await transport.push(vm.dir)).bytesSent : stored
      return { run, storedBytes: stored, wireBytes: wire }
    },
  }
}
